#pragma once
/// \file
/// SqliteAddressBook: the AddressBook that survives restarts and crashes of the server process.
///
/// Needs libsqlite3: link `courier::sqlite` (courier plus SQLite) instead of `courier::courier`.
/// Only this header includes <sqlite3.h>; programs that never include it need no SQLite at all.
///
/// The book lives in one SQLite database file, given as configuration. The file and its table
/// are created on first use:
///
///     CREATE TABLE courier_addresses (client_id INTEGER PRIMARY KEY,      -- u64 stored as i64
///                                     address   INTEGER NOT NULL UNIQUE)  -- VirtualAddress::value
///
/// stamped with `PRAGMA application_id` ('crly') and `PRAGMA user_version` 1, so a file of some
/// other program, or of a future incompatible courier, is refused at open instead of written to.
/// The constructor loads the whole table into memory: after that assign() of a known id and
/// find() are hash lookups that never touch the file; only a first assign() of a new id writes.
///
/// Durability. Each new assignment is its own transaction, committed before assign() returns,
/// in journal_mode=WAL with synchronous=FULL: the commit appends the changed pages to the
/// `<path>-wal` file and fsyncs it, one fsync per new id, so the row survives a kill -9 of the
/// process (it reached the kernel) and a power cut or kernel crash (it reached the disk).
/// Chosen over the rollback journal (journal_mode=DELETE, synchronous=FULL), which is as durable
/// but costs at least three fsyncs and a file creation and deletion per commit. WAL+NORMAL would
/// survive a process crash too, but may lose the last commits on power loss: not an option for a
/// book whose promise is that an address is never given to a second id. SQLite checkpoints the
/// WAL into the main file every 1000 pages by default, inside a committing assign(): such an
/// assign() takes a few more fsyncs. The cost of WAL: the `-wal` and `-shm` files live next to
/// the database (its directory must be writable) and it needs shared memory, so the file must be
/// on a local filesystem (not NFS or SMB).
///
/// Failures. The constructor throws std::system_error with Error::invalid_config, the path and
/// SQLite's message, when the file cannot be opened or created (missing directory, no
/// permission), is not a database, fails `PRAGMA quick_check` (corruption), belongs to another
/// application or schema version, or holds rows that are not valid assignments. After that,
/// assign() of a new id returns nullopt when the book is full or the write failed (disk full,
/// I/O error, the file locked by another process past the busy timeout); last_error() says why,
/// and the id gets an address on a later successful assign().
///
/// Several processes. Not a supported deployment, but it cannot corrupt the file or break the
/// book's promise: SQLite's file locks serialize writers, and the PRIMARY KEY and UNIQUE
/// constraints refuse a second address for an id and a second id for an address. A book whose
/// cached view is stale (another process wrote since it loaded) gets a constraint error on its
/// insert, reloads the table and retries once. Its find() does not see the other process's
/// assignments until such a reload. Do not delete, replace or copy the file (or its -wal) while a
/// book has it open, and do not use a book in both the parent and the child of a fork().
///
/// Move-only: it owns the connection (closed by the destructor) and its prepared statements,
/// which are prepared once and reused. Not thread-safe, like a standard container.

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "courier/core/chrono.hpp"
#include "courier/core/error.hpp"
#include "courier/relay/address_book.hpp"
#include "courier/relay/virtual_address.hpp"

namespace courier {

struct SqliteAddressBookOptions {
  /// How many addresses the book hands out at most (clamped to every address of the range).
  std::size_t capacity = static_cast<std::size_t>(VirtualAddress::last) - VirtualAddress::first + 1;
  /// How long a write waits for a lock held by another connection before failing.
  std::chrono::milliseconds busy_timeout{100};
  /// Run `PRAGMA quick_check` at open (reads the whole file once: about a second for a full
  /// book of 4 million addresses) and refuse a corrupt file.
  bool quick_check = true;
};

namespace detail {

struct SqliteClose {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct SqliteFinalize {
  void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};

}  // namespace detail

class SqliteAddressBook {
 public:
  static constexpr std::size_t max_capacity =
      static_cast<std::size_t>(VirtualAddress::last) - VirtualAddress::first + 1;
  /// 'crly' in `PRAGMA application_id`: this file is a courier relay address book.
  static constexpr std::int32_t application_id = 0x63726C79;
  static constexpr int schema_version = 1;

  /// Opens the book in the SQLite file `path`, creating the file and its table if needed, and
  /// loads it. Throws std::system_error (Error::invalid_config) when that fails; see the file
  /// comment.
  explicit SqliteAddressBook(std::string path, SqliteAddressBookOptions options = {})
      : path_(std::move(path)),
        capacity_(options.capacity < max_capacity ? options.capacity : max_capacity) {
    if (path_.empty() || path_ == ":memory:") {
      throw std::system_error(make_error_code(Error::invalid_config),
                              "SqliteAddressBook: '" + path_ + "': needs the path of a database file");
    }
    open(options);
    create_schema();
    select_ = prepare("SELECT client_id, address FROM courier_addresses");
    insert_ = prepare("INSERT INTO courier_addresses (client_id, address) VALUES (?1, ?2)");
    if (!reload()) fail_with(last_error_);
  }

  SqliteAddressBook(const SqliteAddressBook&) = delete;
  SqliteAddressBook& operator=(const SqliteAddressBook&) = delete;
  SqliteAddressBook(SqliteAddressBook&&) noexcept = default;
  SqliteAddressBook& operator=(SqliteAddressBook&&) noexcept = default;
  ~SqliteAddressBook() = default;  // statements finalized, then the connection closed

  /// The id's address: the one it already has (no I/O), or the next free one, committed to the
  /// file durably before this returns. nullopt when the book is full or the write failed
  /// (last_error() says which).
  [[nodiscard]] std::optional<VirtualAddress> assign(std::uint64_t id) {
    if (const auto known = lookup(id)) return known;
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (!db_) {
        last_error_ = "the book was moved from";
        return std::nullopt;
      }
      if (by_id_.size() >= capacity_ || next_ > VirtualAddress::last) {
        last_error_ = "the book is full";
        return std::nullopt;
      }
      const auto value = static_cast<std::uint32_t>(next_);
      const int rc = insert(id, value);
      if (rc == SQLITE_DONE) {
        ++next_;
        by_id_.emplace(id, value);
        by_address_.emplace(value, id);
        return VirtualAddress{value};
      }
      if ((rc & 0xFF) != SQLITE_CONSTRAINT || attempt > 0) return std::nullopt;
      // Another connection wrote the table since we loaded it: catch up, then retry once.
      if (!reload()) return std::nullopt;
      if (const auto known = lookup(id)) return known;
    }
    return std::nullopt;
  }

  /// The id holding `address`, from memory; nullopt if none does.
  [[nodiscard]] std::optional<std::uint64_t> find(VirtualAddress address) const noexcept {
    if (const auto it = by_address_.find(address.value); it != by_address_.end()) return it->second;
    return std::nullopt;
  }

  /// The id's address if it has one, from memory; never assigns.
  [[nodiscard]] std::optional<VirtualAddress> lookup(std::uint64_t id) const noexcept {
    if (const auto it = by_id_.find(id); it != by_id_.end()) return VirtualAddress{it->second};
    return std::nullopt;
  }

  [[nodiscard]] std::size_t size() const noexcept { return by_id_.size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  /// Why the last failed assign() failed ("" if none has).
  [[nodiscard]] const std::string& last_error() const noexcept { return last_error_; }

 private:
  /// Opens (or creates) the file in WAL mode with synchronous=FULL, optionally checked.
  void open(const SqliteAddressBookOptions& options) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path_.c_str(), &raw,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) fail("cannot open or create", rc);
    sqlite3_extended_result_codes(db_.get(), 1);
    sqlite3_busy_timeout(db_.get(), static_cast<int>(options.busy_timeout.count()));

    // The first statements read the file: a file that is not a database fails here.
    if (const auto mode = text_of("PRAGMA journal_mode=WAL"); mode != "wal") {
      fail_with("cannot switch to journal_mode=WAL (got '" + mode + "')");
    }
    exec("PRAGMA synchronous=FULL");
    if (options.quick_check) {
      if (auto check = text_of("PRAGMA quick_check"); check != "ok") {
        if (check.size() > 160) check = check.substr(0, 160) + "...";  // it lists up to 100 faults
        fail_with("corrupt database (quick_check: " + check + ")");
      }
    }
  }

  /// Creates the table and stamps the file, or checks the stamps of an existing one.
  void create_schema() {
    // One write transaction, so two processes creating it at once cannot interleave.
    exec("BEGIN IMMEDIATE");
    const auto app = int_of("PRAGMA application_id");
    const auto version = int_of("PRAGMA user_version");
    if (app != 0 && app != application_id) {
      fail_with("belongs to another application (application_id " + std::to_string(app) + ")");
    }
    if (version > schema_version) {
      fail_with("schema version " + std::to_string(version) + " is newer than this courier's (" +
                std::to_string(schema_version) + ")");
    }
    exec("CREATE TABLE IF NOT EXISTS courier_addresses ("
         "client_id INTEGER PRIMARY KEY, address INTEGER NOT NULL UNIQUE)");
    if (app == 0) exec("PRAGMA application_id=" + std::to_string(application_id));
    if (version == 0) exec("PRAGMA user_version=" + std::to_string(schema_version));
    exec("COMMIT");  // a throw before here rolls back: closing the connection does
  }

  using Statement = std::unique_ptr<sqlite3_stmt, detail::SqliteFinalize>;

  [[noreturn]] void fail_with(const std::string& what) const {
    throw std::system_error(make_error_code(Error::invalid_config),
                            "SqliteAddressBook: '" + path_ + "': " + what);
  }
  [[noreturn]] void fail(const char* what, int rc) const {
    // sqlite3_open_v2 may leave no handle (out of memory): fall back to the code's text.
    const char* message = db_ ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(rc);
    fail_with(std::string(what) + ": " + message);
  }

  Statement prepare(const std::string& sql) const {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(db_.get(), sql.c_str(), static_cast<int>(sql.size() + 1), &raw, nullptr);
    Statement statement(raw);
    if (rc != SQLITE_OK) fail(sql.c_str(), rc);
    return statement;
  }
  void exec(const std::string& sql) const {
    const auto statement = prepare(sql);
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) rc = sqlite3_step(statement.get());
    if (rc != SQLITE_DONE) fail(sql.c_str(), rc);
  }
  std::string text_of(const std::string& sql) const {
    const auto statement = prepare(sql);
    const int rc = sqlite3_step(statement.get());
    if (rc != SQLITE_ROW) fail(sql.c_str(), rc);
    const auto* text = sqlite3_column_text(statement.get(), 0);
    return text ? std::string(reinterpret_cast<const char*>(text)) : std::string();
  }
  std::int64_t int_of(const std::string& sql) const {
    const auto statement = prepare(sql);
    const int rc = sqlite3_step(statement.get());
    if (rc != SQLITE_ROW) fail(sql.c_str(), rc);
    return sqlite3_column_int64(statement.get(), 0);
  }

  /// One autocommit INSERT: SQLITE_DONE once it is committed (and the WAL synced).
  int insert(std::uint64_t id, std::uint32_t value) {
    sqlite3_stmt* statement = insert_.get();
    sqlite3_bind_int64(statement, 1, static_cast<std::int64_t>(id));
    sqlite3_bind_int64(statement, 2, static_cast<std::int64_t>(value));
    const int rc = sqlite3_step(statement);
    if (rc != SQLITE_DONE) last_error_ = std::string("insert failed: ") + sqlite3_errmsg(db_.get());
    sqlite3_reset(statement);
    return rc;
  }

  /// Replaces the cache with the table's rows; false (cache unchanged, last_error_ set) when the
  /// table cannot be read or holds a row that is not a valid assignment.
  bool reload() {
    sqlite3_stmt* statement = select_.get();
    std::unordered_map<std::uint64_t, std::uint32_t> by_id;
    std::unordered_map<std::uint32_t, std::uint64_t> by_address;
    std::uint64_t next = VirtualAddress::first;
    std::string error;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
      const auto raw_id = sqlite3_column_int64(statement, 0);
      const auto raw_address = sqlite3_column_int64(statement, 1);
      if (sqlite3_column_type(statement, 0) != SQLITE_INTEGER ||
          sqlite3_column_type(statement, 1) != SQLITE_INTEGER || raw_address < VirtualAddress::first ||
          raw_address > VirtualAddress::last) {
        error = "corrupt table: row with client_id " + std::to_string(raw_id) + " holds no valid address";
        break;
      }
      const auto id = static_cast<std::uint64_t>(raw_id);
      const auto value = static_cast<std::uint32_t>(raw_address);
      if (!by_id.emplace(id, value).second || !by_address.emplace(value, id).second) {
        error = "corrupt table: address " + VirtualAddress{value}.to_string() + " held twice";
        break;
      }
      if (value >= next) next = std::uint64_t{value} + 1;
    }
    if (error.empty() && rc != SQLITE_DONE) error = std::string("cannot read the table: ") + sqlite3_errmsg(db_.get());
    sqlite3_reset(statement);
    if (!error.empty()) {
      last_error_ = std::move(error);
      return false;
    }
    by_id_ = std::move(by_id);
    by_address_ = std::move(by_address);
    next_ = next;
    return true;
  }

  // Declaration order matters: members are destroyed in reverse, so the statements are
  // finalized before the connection closes (sqlite3_close_v2 would wait for them anyway).
  std::string path_;
  std::size_t capacity_;
  std::unique_ptr<sqlite3, detail::SqliteClose> db_;
  Statement select_;
  Statement insert_;
  std::unordered_map<std::uint64_t, std::uint32_t> by_id_;
  std::unordered_map<std::uint32_t, std::uint64_t> by_address_;
  std::uint64_t next_ = VirtualAddress::first;  ///< the next address to hand out
  std::string last_error_;
};

static_assert(AddressBook<SqliteAddressBook>);

}  // namespace courier
