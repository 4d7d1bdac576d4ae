// The shape of include/courier/, checked: headers stay small (≤ 400 lines), functions stay small
// (≤ 40 lines), and the include graph only points down the layers of docs/ARCHITECTURE.md:
//   core ← transport, crypto, schema ← netcode ← reliable ← channel ← pack ← relay ← typed
// (a folder may include itself; relay never includes typed). A failure names the file, the
// function's first line or the include, so the fix is plain.

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path include_root = fs::path(COURIER_TEST_DATA_DIR) / ".." / ".." / "include" / "courier";

constexpr std::size_t max_header_lines = 400;
constexpr std::size_t max_function_lines = 40;

std::vector<fs::path> headers() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(include_root))
    if (e.path().extension() == ".hpp") out.push_back(e.path());
  return out;
}

std::vector<std::string> lines_of(const fs::path& p) {
  std::ifstream in(p);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// The layer of a path under include/courier ("typed/detail/x.hpp" → "typed"; top-level files
/// are their own layer).
std::string layer_of(const std::string& relative) {
  if (relative == "pack.hpp") return "pack";  // the pack layer's public header
  const auto slash = relative.find('/');
  return slash == std::string::npos ? relative : relative.substr(0, slash);
}

int rank_of(const std::string& layer) {
  static const std::map<std::string, int> ranks{
      {"version.hpp", 0}, {"core", 0},  {"transport", 1}, {"crypto", 1}, {"schema", 1}, {"netcode", 2},
      {"reliable", 3},    {"channel", 4}, {"pack", 5},    {"relay", 6}, {"typed", 7},
      {"fwd.hpp", 8}, {"client.hpp", 8}, {"server.hpp", 8}, {"courier.hpp", 9}, {"impl", 9}};
  const auto it = ranks.find(layer);
  return it == ranks.end() ? -1 : it->second;
}

/// Strips comments and string/char literals (keeps line breaks), so braces in them are not code.
std::string code_of(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& l : lines) text += l + '\n';
  std::string out;
  enum { code, line_comment, block_comment, string, character } state = code;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    switch (state) {
      case code:
        if (c == '/' && next == '/') state = line_comment;
        else if (c == '/' && next == '*') state = block_comment;
        else if (c == '"') state = string;
        else if (c == '\'' && !(i > 0 && std::isxdigit(static_cast<unsigned char>(text[i - 1])))) state = character;
        out += (state == code ? c : ' ');
        break;
      case line_comment:
        if (c == '\n') state = code;
        out += (c == '\n' ? '\n' : ' ');
        break;
      case block_comment:
        if (c == '*' && next == '/') { state = code; out += "  "; ++i; break; }
        out += (c == '\n' ? '\n' : ' ');
        break;
      case string:
      case character:
        if (c == '\\') { out += "  "; ++i; break; }
        if ((state == string && c == '"') || (state == character && c == '\'')) state = code;
        out += (c == '\n' ? '\n' : ' ');
        break;
    }
  }
  return out;
}

/// `head` without its `template <...>` parameter lists (their `class T` is no class).
std::string without_template_heads(std::string head) {
  for (auto at = head.find("template"); at != std::string::npos; at = head.find("template", at)) {
    auto i = head.find('<', at);
    if (i == std::string::npos) break;
    int depth = 0;
    for (; i < head.size(); ++i) {
      if (head[i] == '<') ++depth;
      if (head[i] == '>' && --depth == 0) break;
    }
    head.erase(at, i + 1 - at);
  }
  return head;
}

/// True when the text before a `{` opens a function body (a parameter list closes just before
/// it, possibly followed by qualifiers), not a class, namespace, enum, initializer or lambda.
bool opens_function(const std::string& raw_head) {
  const std::string head = without_template_heads(raw_head);
  if (head.find("namespace") != std::string::npos || head.find("struct ") != std::string::npos ||
      head.find("class ") != std::string::npos || head.find("enum ") != std::string::npos ||
      head.find("union ") != std::string::npos)
    return false;
  const auto close = head.find_last_of(')');
  if (close == std::string::npos) return false;
  std::istringstream rest(head.substr(close + 1));
  for (std::string word; rest >> word;)
    if (word != "const" && word != "noexcept" && word != "override" && word != "final" && word != "&" &&
        word != "&&" && word.rfind("->", 0) != 0 && word.find("requires") == std::string::npos && word.find(':') == std::string::npos)
      return false;
  return true;
}

struct LongFunction {
  std::size_t first_line;
  std::size_t lines;
};

/// Function bodies (outermost only: lambdas inside count with their function) longer than the limit.
std::vector<LongFunction> long_functions(const std::vector<std::string>& lines) {
  const std::string code = code_of(lines);
  std::vector<LongFunction> out;
  std::size_t line = 1, statement_start = 0;
  std::vector<bool> is_function;  // one per open brace
  std::size_t body_start_line = 0;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == '\n') ++line;
    if (c == '{') {
      const bool inside = std::find(is_function.begin(), is_function.end(), true) != is_function.end();
      const bool fn = !inside && opens_function(code.substr(statement_start, i - statement_start));
      if (fn) body_start_line = line;
      is_function.push_back(fn);
      statement_start = i + 1;
    } else if (c == '}') {
      if (!is_function.empty()) {
        if (is_function.back() && line - body_start_line > max_function_lines + 1)
          out.push_back({body_start_line, line - body_start_line - 1});
        is_function.pop_back();
      }
      statement_start = i + 1;
    } else if (c == ';') {
      statement_start = i + 1;
    }
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(layout_test)

BOOST_AUTO_TEST_CASE(every_header_is_at_most_400_lines) {
  for (const auto& h : headers()) {
    const std::size_t n = lines_of(h).size();
    BOOST_TEST(n <= max_header_lines, fs::relative(h, include_root).string() << " has " << n << " lines");
  }
}

BOOST_AUTO_TEST_CASE(every_function_is_at_most_40_lines) {
  for (const auto& h : headers())
    for (const LongFunction& f : long_functions(lines_of(h)))
      BOOST_TEST(false, fs::relative(h, include_root).string() << ":" << f.first_line << ": a function of "
                                                                << f.lines << " lines");
}

BOOST_AUTO_TEST_CASE(includes_point_down_the_layers) {
  for (const auto& h : headers()) {
    const std::string self = fs::relative(h, include_root).generic_string();
    const int own = rank_of(layer_of(self));
    BOOST_TEST(own >= 0, self << " is in no known layer");
    for (const auto& l : lines_of(h)) {
      const auto at = l.find("#include \"courier/");
      if (at != 0) continue;
      const std::string target = l.substr(18, l.find('"', 18) - 18);
      const std::string to = layer_of(target);
      if (to == layer_of(self)) continue;
      BOOST_TEST(rank_of(to) >= 0, self << " includes " << target << ", in no known layer");
      BOOST_TEST(rank_of(to) < own, self << " includes " << target << ": an include that points up or sideways");
    }
  }
}

BOOST_AUTO_TEST_CASE(one_include_style) {
  for (const auto& h : headers())
    for (const auto& l : lines_of(h))
      BOOST_TEST(l.rfind("#include <courier/", 0) != 0,
                 fs::relative(h, include_root).string() << ": write #include \"courier/...\", not <courier/...>");
}

BOOST_AUTO_TEST_SUITE_END()
