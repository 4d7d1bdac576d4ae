// The two AddressBooks: InMemoryAddressBook and SqliteAddressBook (durability across restarts
// and kill -9, corrupt and unusable files).
#include <courier/core/error.hpp>
#include <courier/core/random.hpp>
#include <courier/relay/address_book.hpp>
#include <courier/relay/in_memory_address_book.hpp>
#include <courier/relay/sqlite_address_book.hpp>

#include "temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <vector>

static_assert(courier::AddressBook<courier::InMemoryAddressBook>);
static_assert(courier::AddressBook<courier::SqliteAddressBook>);
static_assert(!std::is_copy_constructible_v<courier::SqliteAddressBook>);
static_assert(!std::is_copy_assignable_v<courier::SqliteAddressBook>);
static_assert(std::is_nothrow_move_constructible_v<courier::SqliteAddressBook>);
static_assert(std::is_nothrow_move_assignable_v<courier::SqliteAddressBook>);

namespace {

using courier::VirtualAddress;

using courier::test::TempDir;

std::uint32_t nth(std::size_t n) { return static_cast<std::uint32_t>(VirtualAddress::first + n); }

/// `count` distinct ids, with the edge values first (0, the top bit set, the maximum).
std::vector<std::uint64_t> distinct_ids(std::size_t count, std::uint64_t seed) {
  std::vector<std::uint64_t> ids{0, 1, std::uint64_t{1} << 63, std::numeric_limits<std::uint64_t>::max()};
  std::unordered_set<std::uint64_t> seen(ids.begin(), ids.end());
  courier::Rng rng(seed);
  while (ids.size() < count) {
    const auto id = rng.next();
    if (seen.insert(id).second) ids.push_back(id);
  }
  ids.resize(count);
  return ids;
}

/// The AddressBook promises, for any book: same id → same address, distinct ids → distinct
/// addresses handed out in order of first use, find() the inverse of assign().
template <courier::AddressBook Book>
void check_assign_and_find(Book& book, const std::vector<std::uint64_t>& ids) {
  const std::size_t before = book.size();
  std::set<std::uint32_t> addresses;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto a = book.assign(ids[i]);
    BOOST_REQUIRE(a.has_value());
    BOOST_TEST(a->valid());
    BOOST_TEST(a->value == nth(before + i));
    addresses.insert(a->value);
  }
  BOOST_TEST(addresses.size() == ids.size());
  BOOST_TEST(book.size() == before + ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto again = book.assign(ids[i]);
    BOOST_REQUIRE(again.has_value());
    BOOST_TEST(again->value == nth(before + i));
    const auto id = book.find(*again);
    BOOST_REQUIRE(id.has_value());
    BOOST_TEST(*id == ids[i]);
  }
  BOOST_TEST(book.size() == before + ids.size());  // reassigning added nothing
  BOOST_TEST(!book.find(VirtualAddress{nth(before + ids.size())}).has_value());
  BOOST_TEST(!book.find(VirtualAddress{0}).has_value());
  BOOST_TEST(!book.find(VirtualAddress{VirtualAddress::last + 1}).has_value());
}

/// Runs `body` and checks it throws std::system_error(Error::invalid_config) naming `path`;
/// returns the message.
template <class Body>
std::string expect_invalid_config(const std::string& path, Body&& body) {
  try {
    body();
  } catch (const std::system_error& e) {
    BOOST_TEST((e.code() == courier::Error::invalid_config));
    const std::string message = e.what();
    BOOST_TEST(message.find(path) != std::string::npos, message);
    return message;
  }
  BOOST_ERROR("no std::system_error for " << path);
  return {};
}

/// A raw SQLite connection for checking or tampering with a book's file from outside.
struct RawDb {
  explicit RawDb(const std::string& path) {
    BOOST_REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) == SQLITE_OK);
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  ~RawDb() { sqlite3_close_v2(db); }
  void exec(const std::string& sql) const {
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    BOOST_REQUIRE_MESSAGE(rc == SQLITE_OK, sql << ": " << (error ? error : "?"));
    sqlite3_free(error);
  }
  std::string text(const std::string& sql) const {
    sqlite3_stmt* statement = nullptr;
    BOOST_REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
    std::string result;
    if (sqlite3_step(statement) == SQLITE_ROW) result = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    sqlite3_finalize(statement);
    return result;
  }
  sqlite3* db = nullptr;
};

struct Record {
  std::uint64_t id;
  std::uint32_t address;
};

void write_all(int fd, const void* data, std::size_t size) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    const auto n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ::_exit(3);
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

/// Reads whole records from `fd` until end of file, or until `until` records arrived.
std::vector<Record> read_records(int fd, std::size_t until = std::numeric_limits<std::size_t>::max()) {
  std::vector<Record> records;
  char buffer[sizeof(std::uint64_t) + sizeof(std::uint32_t)];
  std::size_t have = 0;
  while (records.size() < until) {
    const auto n = ::read(fd, buffer + have, sizeof buffer - have);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    have += static_cast<std::size_t>(n);
    if (have == sizeof buffer) {
      Record r{};
      std::memcpy(&r.id, buffer, sizeof r.id);
      std::memcpy(&r.address, buffer + sizeof r.id, sizeof r.address);
      records.push_back(r);
      have = 0;
    }
  }
  return records;
}

/// Forks a child that opens the book at `path` and assigns the ids `first_id`, `first_id + 1`,
/// ..., writing each (id, address) to the pipe right after assign() returns. With `self_kill`
/// the child SIGKILLs itself right after its `self_kill`-th report; otherwise it runs until the
/// parent kills it after `kill_after` reports. Returns every record the child reported.
std::vector<Record> run_killed_child(const std::string& path, std::uint64_t first_id, std::size_t self_kill,
                                     std::size_t kill_after) {
  int fds[2];
  BOOST_REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    try {
      courier::SqliteAddressBook book(path);
      for (std::uint64_t i = 0;; ++i) {
        const auto a = book.assign(first_id + i);
        if (!a) ::_exit(4);
        const Record r{first_id + i, a->value};
        char buffer[sizeof r.id + sizeof r.address];
        std::memcpy(buffer, &r.id, sizeof r.id);
        std::memcpy(buffer + sizeof r.id, &r.address, sizeof r.address);
        write_all(fds[1], buffer, sizeof buffer);
        if (self_kill != 0 && i + 1 == self_kill) ::raise(SIGKILL);
      }
    } catch (...) {
      ::_exit(5);
    }
    ::_exit(6);
  }
  ::close(fds[1]);
  std::vector<Record> records;
  if (self_kill == 0) {
    records = read_records(fds[0], kill_after);
    ::kill(pid, SIGKILL);
  }
  const auto rest = read_records(fds[0]);  // what the child wrote before it died
  records.insert(records.end(), rest.begin(), rest.end());
  ::close(fds[0]);
  int status = 0;
  BOOST_REQUIRE(::waitpid(pid, &status, 0) == pid);
  BOOST_TEST(WIFSIGNALED(status));
  if (WIFSIGNALED(status)) BOOST_TEST(WTERMSIG(status) == SIGKILL);
  if (WIFEXITED(status)) BOOST_TEST_MESSAGE("child exited with " << WEXITSTATUS(status));
  return records;
}

void write_garbage(const std::string& path, std::size_t offset, std::size_t size, std::uint64_t seed) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  if (!file) file.open(path, std::ios::out | std::ios::binary);
  BOOST_REQUIRE(file.good());
  courier::Rng rng(seed);
  std::string bytes(size, '\0');
  for (auto& b : bytes) b = static_cast<char>(rng.next());
  file.seekp(static_cast<std::streamoff>(offset));
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  BOOST_REQUIRE(file.good());
}

/// A book of 2000 ids spanning a dozen pages: 10 assigned by the book, the rest inserted in one
/// transaction (2000 durable assigns would take seconds of fsyncs).
void make_large_book(const std::string& path) {
  {
    courier::SqliteAddressBook book(path);
    check_assign_and_find(book, distinct_ids(10, 6));
  }
  {
    RawDb raw(path);
    std::string sql = "BEGIN;";
    const auto ids = distinct_ids(2000, 6);
    for (std::size_t i = 10; i < ids.size(); ++i) {
      sql += "INSERT INTO courier_addresses VALUES (" + std::to_string(static_cast<std::int64_t>(ids[i])) + "," +
             std::to_string(nth(i)) + ");";
    }
    raw.exec(sql + "COMMIT;");
  }
  courier::SqliteAddressBook book(path);
  BOOST_REQUIRE(book.size() == 2000u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(address_book_test)

// ---- InMemoryAddressBook ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(in_memory_assigns_in_order_of_first_use) {
  courier::InMemoryAddressBook book;
  BOOST_TEST(book.size() == 0u);
  BOOST_TEST(book.capacity() == std::size_t{VirtualAddress::last - VirtualAddress::first + 1});
  BOOST_TEST(book.assign(42)->value == nth(0));
  BOOST_TEST(book.assign(7)->value == nth(1));
  BOOST_TEST(book.assign(42)->value == nth(0));  // same id, same address
  BOOST_TEST(book.assign(1000)->value == nth(2));
  BOOST_TEST(book.size() == 3u);
  BOOST_TEST(book.assign(42)->to_string() == "100.64.0.1");
  BOOST_TEST(*book.find(VirtualAddress{nth(1)}) == 7u);
  BOOST_TEST(book.lookup(1000)->value == nth(2));
  BOOST_TEST(!book.lookup(1001).has_value());
  BOOST_TEST(book.size() == 3u);  // lookup never assigns
}

BOOST_AUTO_TEST_CASE(in_memory_distinct_ids_and_inverse) {
  courier::InMemoryAddressBook book;
  check_assign_and_find(book, distinct_ids(10'000, 1));
}

BOOST_AUTO_TEST_CASE(in_memory_exhaustion) {
  courier::InMemoryAddressBook book(3);
  BOOST_TEST(book.capacity() == 3u);
  BOOST_TEST(book.assign(10).has_value());
  BOOST_TEST(book.assign(11).has_value());
  BOOST_TEST(book.assign(12)->value == nth(2));
  BOOST_TEST(!book.assign(13).has_value());  // full
  BOOST_TEST(!book.assign(14).has_value());
  BOOST_TEST(book.size() == 3u);
  BOOST_TEST(book.assign(11)->value == nth(1));  // ids already in still get theirs
  BOOST_TEST(!book.find(VirtualAddress{nth(3)}).has_value());

  courier::InMemoryAddressBook empty(0);
  BOOST_TEST(!empty.assign(1).has_value());
  BOOST_TEST(empty.size() == 0u);
  // A capacity past the range is clamped: the last address handed out is VirtualAddress::last.
  courier::InMemoryAddressBook huge(std::size_t{1} << 40);
  BOOST_TEST(huge.capacity() == courier::InMemoryAddressBook::max_capacity);
  BOOST_TEST(VirtualAddress::first + huge.capacity() - 1 == VirtualAddress::last);
}

// ---- SqliteAddressBook --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(sqlite_creates_the_file_and_assigns) {
  TempDir dir;
  const auto path = dir.file("book.db");
  courier::SqliteAddressBook book(path);
  BOOST_TEST(std::filesystem::exists(path));
  BOOST_TEST(book.path() == path);
  BOOST_TEST(book.size() == 0u);
  BOOST_TEST(book.assign(42)->value == nth(0));
  BOOST_TEST(book.assign(7)->value == nth(1));
  BOOST_TEST(book.assign(42)->value == nth(0));
  BOOST_TEST(*book.find(VirtualAddress{nth(1)}) == 7u);
  BOOST_TEST(!book.lookup(8).has_value());
  BOOST_TEST(book.size() == 2u);
  check_assign_and_find(book, distinct_ids(200, 2));
  BOOST_TEST(book.last_error().empty());
}

BOOST_AUTO_TEST_CASE(sqlite_persists_across_restart) {
  TempDir dir;
  const auto path = dir.file("book.db");
  const auto ids = distinct_ids(100, 3);
  {
    courier::SqliteAddressBook book(path);
    check_assign_and_find(book, ids);
  }
  // Closed cleanly: the WAL was checkpointed into the file and removed; the file says WAL.
  BOOST_TEST(!std::filesystem::exists(path + "-wal"));
  {
    RawDb raw(path);
    BOOST_TEST(raw.text("PRAGMA journal_mode") == "wal");
    BOOST_TEST(raw.text("SELECT count(*) FROM courier_addresses") == "100");
    BOOST_TEST(raw.text("PRAGMA user_version") == "1");
    BOOST_TEST(raw.text("PRAGMA application_id") == std::to_string(courier::SqliteAddressBook::application_id));
  }
  courier::SqliteAddressBook book(path);  // the restart
  BOOST_TEST(book.size() == ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    BOOST_TEST(book.lookup(ids[i])->value == nth(i));
    BOOST_TEST(*book.find(VirtualAddress{nth(i)}) == ids[i]);
    BOOST_TEST(book.assign(ids[i])->value == nth(i));
  }
  BOOST_TEST(book.assign(0xABCDEF)->value == nth(ids.size()));  // new ids continue after them
  BOOST_TEST(book.size() == ids.size() + 1);
}

BOOST_AUTO_TEST_CASE(sqlite_ten_thousand_ids) {
  TempDir dir;
  const auto path = dir.file("book.db");
  const auto ids = distinct_ids(10'000, 4);
  {
    courier::SqliteAddressBook book(path);
    check_assign_and_find(book, ids);
  }
  courier::SqliteAddressBook book(path);
  BOOST_TEST(book.size() == ids.size());
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto a = book.assign(ids[i]);
    const auto id = book.find(VirtualAddress{nth(i)});
    if (!a || a->value != nth(i) || !id || *id != ids[i]) ++wrong;
  }
  BOOST_TEST(wrong == 0u);
  BOOST_TEST(book.size() == ids.size());
}

BOOST_AUTO_TEST_CASE(sqlite_exhaustion) {
  TempDir dir;
  const auto path = dir.file("book.db");
  {
    courier::SqliteAddressBook book(path, {.capacity = 3});
    BOOST_TEST(book.capacity() == 3u);
    check_assign_and_find(book, {10, 11, 12});
    BOOST_TEST(!book.assign(13).has_value());
    BOOST_TEST(book.last_error() == "the book is full");
    BOOST_TEST(book.assign(12)->value == nth(2));
    BOOST_TEST(book.size() == 3u);
  }
  {
    courier::SqliteAddressBook book(path, {.capacity = 3});  // still full after a restart
    BOOST_TEST(!book.assign(13).has_value());
  }
  courier::SqliteAddressBook book(path, {.capacity = 5});  // a larger book continues
  BOOST_TEST(book.assign(13)->value == nth(3));
  BOOST_TEST(courier::SqliteAddressBook(dir.file("other.db"), {.capacity = std::size_t{1} << 40}).capacity() ==
             courier::SqliteAddressBook::max_capacity);
}

// The child reports each assignment down a pipe right after assign() returns, then dies by
// SIGKILL: no destructor, no atexit, no checkpoint. Every reported assignment must be in the file.
BOOST_AUTO_TEST_CASE(sqlite_survives_kill_right_after_assign) {
  TempDir dir;
  const auto path = dir.file("book.db");
  const auto records = run_killed_child(path, 1000, 25, 0);
  BOOST_TEST(records.size() == 25u);
  BOOST_TEST(std::filesystem::exists(path + "-wal"));  // the child never closed the book
  courier::SqliteAddressBook book(path);
  BOOST_TEST(book.size() == records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    BOOST_TEST(records[i].address == nth(i));
    const auto a = book.lookup(records[i].id);
    BOOST_REQUIRE(a.has_value());
    BOOST_TEST(a->value == records[i].address);
    BOOST_TEST(*book.find(VirtualAddress{records[i].address}) == records[i].id);
  }
  BOOST_TEST(book.assign(999'999)->value == nth(records.size()));
}

// The parent kills the child at an arbitrary point of its assign loop, twice over the same file.
BOOST_AUTO_TEST_CASE(sqlite_survives_kill_at_any_point) {
  TempDir dir;
  const auto path = dir.file("book.db");
  std::vector<Record> reported;
  std::size_t committed_before = 0;
  for (std::uint64_t round = 0; round < 2; ++round) {
    const auto records = run_killed_child(path, (round + 1) * 1'000'000, 0, 300);
    BOOST_TEST(records.size() >= 300u);
    reported.insert(reported.end(), records.begin(), records.end());
    courier::SqliteAddressBook book(path);
    // Every report is in the file; at most one assignment more (committed, not yet reported).
    BOOST_TEST(book.size() >= reported.size() + committed_before);
    BOOST_TEST(book.size() <= reported.size() + committed_before + 1);
    std::size_t missing = 0;
    for (const auto& r : reported) {
      const auto a = book.lookup(r.id);
      if (!a || a->value != r.address || book.find(*a) != r.id) ++missing;
    }
    BOOST_TEST(missing == 0u);
    committed_before = book.size() - reported.size();
  }
}

BOOST_AUTO_TEST_CASE(sqlite_unusable_paths_throw) {
  TempDir dir;
  // A directory that does not exist.
  const auto missing = dir.file("no/such/dir/book.db");
  const auto message = expect_invalid_config(missing, [&] { courier::SqliteAddressBook book(missing); });
  BOOST_TEST(message.find("unable to open database file") != std::string::npos, message);
  // A filesystem where nobody (root included) can create files.
  const std::string proc = "/proc/courier_address_book.db";
  expect_invalid_config(proc, [&] { courier::SqliteAddressBook book(proc); });
  // A directory where the file should be.
  expect_invalid_config(dir.path().string(), [&] { courier::SqliteAddressBook book(dir.path().string()); });
  // No file at all.
  expect_invalid_config("", [] { courier::SqliteAddressBook book(""); });
  expect_invalid_config(":memory:", [] { courier::SqliteAddressBook book(":memory:"); });
}

BOOST_AUTO_TEST_CASE(sqlite_corrupt_files_throw) {
  TempDir dir;
  // Garbage from the first byte.
  const auto garbage = dir.file("garbage.db");
  write_garbage(garbage, 0, 8192, 5);
  auto message = expect_invalid_config(garbage, [&] { courier::SqliteAddressBook book(garbage); });
  BOOST_TEST(message.find("not a database") != std::string::npos, message);

  // A real book whose pages after the first are overwritten.
  const auto trashed = dir.file("trashed.db");
  make_large_book(trashed);
  BOOST_REQUIRE(!std::filesystem::exists(trashed + "-wal"));
  const auto size = std::filesystem::file_size(trashed);
  BOOST_REQUIRE(size > 3 * 4096);
  write_garbage(trashed, 4096, 2 * 4096, 7);
  message = expect_invalid_config(trashed, [&] { courier::SqliteAddressBook book(trashed); });
  BOOST_TEST_MESSAGE("trashed pages: " << message);

  // A truncated file: the header promises pages that are not there.
  const auto truncated = dir.file("truncated.db");
  make_large_book(truncated);
  std::filesystem::resize_file(truncated, std::filesystem::file_size(truncated) / 2);
  message = expect_invalid_config(truncated, [&] { courier::SqliteAddressBook book(truncated); });
  BOOST_TEST_MESSAGE("truncated: " << message);

  // A database of some other program.
  const auto foreign = dir.file("foreign.db");
  {
    RawDb raw(foreign);
    raw.exec("PRAGMA application_id=1234; CREATE TABLE t (x)");
  }
  message = expect_invalid_config(foreign, [&] { courier::SqliteAddressBook book(foreign); });
  BOOST_TEST(message.find("another application") != std::string::npos, message);

  // A newer schema.
  const auto newer = dir.file("newer.db");
  { courier::SqliteAddressBook book(newer); }
  { RawDb(newer).exec("PRAGMA user_version=2"); }
  message = expect_invalid_config(newer, [&] { courier::SqliteAddressBook book(newer); });
  BOOST_TEST(message.find("schema version 2") != std::string::npos, message);

  // Rows that are no valid assignment.
  const auto bad_row = dir.file("bad_row.db");
  { courier::SqliteAddressBook book(bad_row); }
  { RawDb(bad_row).exec("INSERT INTO courier_addresses VALUES (1, 5)"); }
  message = expect_invalid_config(bad_row, [&] { courier::SqliteAddressBook book(bad_row); });
  BOOST_TEST(message.find("corrupt table") != std::string::npos, message);
  const auto text_row = dir.file("text_row.db");
  { courier::SqliteAddressBook book(text_row); }
  { RawDb(text_row).exec("INSERT INTO courier_addresses VALUES (1, 'x')"); }
  expect_invalid_config(text_row, [&] { courier::SqliteAddressBook book(text_row); });
}

BOOST_AUTO_TEST_CASE(sqlite_move_only) {
  TempDir dir;
  courier::SqliteAddressBook a(dir.file("a.db"));
  BOOST_TEST(a.assign(1)->value == nth(0));
  courier::SqliteAddressBook b(std::move(a));
  BOOST_TEST(b.assign(1)->value == nth(0));
  BOOST_TEST(b.assign(2)->value == nth(1));
  BOOST_TEST(!a.assign(3).has_value());  // NOLINT(bugprone-use-after-move): moved-from fails safely
  courier::SqliteAddressBook c(dir.file("c.db"));
  c = std::move(b);  // closes c.db, takes a.db
  BOOST_TEST(c.path() == dir.file("a.db"));
  BOOST_TEST(c.assign(3)->value == nth(2));
  BOOST_TEST(c.size() == 3u);
}

// Two books on one file (as two server processes would be): each hands out addresses from its
// own stale view, the constraints refuse the clash, the loser reloads, and no address ever
// reaches two ids.
BOOST_AUTO_TEST_CASE(sqlite_two_books_on_one_file_never_share_an_address) {
  TempDir dir;
  const auto path = dir.file("book.db");
  courier::SqliteAddressBook a(path);
  courier::SqliteAddressBook b(path);
  BOOST_TEST(a.assign(100)->value == nth(0));
  BOOST_TEST(b.assign(200)->value == nth(1));  // nth(0) refused (UNIQUE), reloaded, retried
  BOOST_TEST(b.assign(100)->value == nth(0));  // known since the reload
  BOOST_TEST(a.assign(200)->value == nth(1));  // PRIMARY KEY refused, reloaded
  BOOST_TEST(*a.find(VirtualAddress{nth(1)}) == 200u);
  courier::SqliteAddressBook c(path);
  BOOST_TEST(c.size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
