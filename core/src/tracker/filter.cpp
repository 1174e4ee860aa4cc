#include "foldbench/tracker/filter.h"
#include "foldbench/util/numbers.h"
#include "foldbench/util/run_status.h"

#include <cctype>
#include <cstdlib>
#include <set>

namespace foldbench::tracker {

FilterError::FilterError(const std::string& message, std::size_t position, const std::string& hint)
    : std::invalid_argument("filter: " + message + " at character " + std::to_string(position + 1) + hint),
      position_(position) {}

namespace {

enum class Kind { Word, String, Number, Op, Open, Close, End };

struct Token {
  Kind kind;
  std::string text;
  std::size_t pos;
};

bool wordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '/' || c == '-' || c == ':' ||
         (static_cast<unsigned char>(c) >= 0x80);
}

std::vector<Token> lex(const std::string& s) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '(' || c == ')') {
      tokens.push_back({c == '(' ? Kind::Open : Kind::Close, std::string(1, c), i++});
    } else if (c == '\'' || c == '"') {
      const std::size_t start = i++;
      std::string text;
      while (i < s.size() && s[i] != c) text.push_back(s[i++]);
      if (i >= s.size()) throw FilterError("unterminated string", start);
      ++i;
      tokens.push_back({Kind::String, text, start});
    } else if (c == '=' || c == '!' || c == '<' || c == '>' || c == '~') {
      const std::size_t start = i;
      std::string op(1, s[i++]);
      if (i < s.size() && s[i] == '=' && c != '=' && c != '~') op.push_back(s[i++]);
      if (op == "!") throw FilterError("'!' must be followed by '='", start);
      tokens.push_back({Kind::Op, op, start});
    } else if (wordChar(c)) {
      const std::size_t start = i;
      while (i < s.size() && wordChar(s[i])) ++i;
      std::string text = s.substr(start, i - start);
      const bool number = util::parseDouble(text).has_value() &&
                          (std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '-' || text[0] == '.');
      tokens.push_back({number ? Kind::Number : Kind::Word, text, start});
    } else {
      throw FilterError(std::string("unexpected character '") + c + "'", i);
    }
  }
  tokens.push_back({Kind::End, "", s.size()});
  return tokens;
}

bool keyword(const Token& t, const char* word) {
  if (t.kind != Kind::Word || t.text.size() != std::char_traits<char>::length(word)) return false;
  for (std::size_t i = 0; i < t.text.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(t.text[i])) != word[i]) return false;
  return true;
}

class Parser {
 public:
  Parser(const std::string& s, const KnownNames* known) : tokens_(lex(s)), known_(known) {}

  SqlFilter parse() {
    if (tokens_.front().kind == Kind::End) return {"1", {}};
    std::string where = orExpr();
    if (peek().kind != Kind::End) throw FilterError("unexpected '" + peek().text + "'", peek().pos);
    return {where, std::move(params_)};
  }

 private:
  const Token& peek() const { return tokens_[index_]; }
  const Token& next() { return tokens_[index_++]; }

  std::string orExpr() {
    std::string left = andExpr();
    while (keyword(peek(), "or")) {
      next();
      left = "(" + left + " OR " + andExpr() + ")";
    }
    return left;
  }

  std::string andExpr() {
    std::string left = unary();
    while (keyword(peek(), "and")) {
      next();
      left = "(" + left + " AND " + unary() + ")";
    }
    return left;
  }

  std::string unary() {
    if (++depth_ > 64) throw FilterError("expression nested too deeply", peek().pos);
    std::string out;
    if (keyword(peek(), "not")) {
      next();
      out = "(NOT " + unary() + ")";
    } else if (peek().kind == Kind::Open) {
      next();
      out = orExpr();
      if (peek().kind != Kind::Close) throw FilterError("missing ')'", peek().pos);
      next();
    } else {
      out = comparison();
    }
    --depth_;
    return out;
  }

  std::string comparison() {
    const Token field = next();
    if (field.kind != Kind::Word || keyword(field, "and") || keyword(field, "or"))
      throw FilterError("expected a field name", field.pos);
    const Token op = next();
    if (op.kind != Kind::Op) throw FilterError("expected an operator (= != < <= > >= ~) after '" + field.text + "'", op.pos);
    const Token value = next();
    if (value.kind != Kind::Word && value.kind != Kind::String && value.kind != Kind::Number)
      throw FilterError("expected a value after '" + op.text + "'", value.pos);
    const bool numeric = value.kind == Kind::Number;
    const std::string sqlOp = op.text == "~" ? "LIKE" : op.text == "=" ? "=" : op.text;
    const auto bindValue = [&]() -> std::string {
      if (op.text == "~") {
        params_.emplace_back("%" + value.text + "%");
      } else if (numeric) {
        params_.emplace_back(*util::parseDouble(value.text));
      } else {
        params_.emplace_back(value.text);
      }
      return "?";
    };
    static const char* columns[] = {"status", "name", "experiment", "uid", "host", "device", "created"};
    for (const char* column : columns) {
      if (field.text != column) continue;
      if (known_ && field.text == "status" && (op.text == "=" || op.text == "!=")) checkStatus(value);
      const std::string sqlColumn = field.text == "experiment" ? "(SELECT e.name FROM experiments e WHERE e.id = r.experiment_id)"
                                    : field.text == "created"  ? "r.created_at"
                                                               : "r." + field.text;
      return sqlColumn + " " + sqlOp + " " + bindValue();
    }
    if (field.text == "tag") {
      if (op.text != "=" && op.text != "~" && op.text != "!=")
        throw FilterError("tags compare with =, != or ~", op.pos);
      const std::string inner = "EXISTS (SELECT 1 FROM tags t WHERE t.run_id = r.id AND t.tag " +
                                std::string(op.text == "~" ? "LIKE" : "=") + " " + bindValue() + ")";
      return op.text == "!=" ? "(NOT " + inner + ")" : inner;
    }
    const bool param = field.text.rfind("params.", 0) == 0;
    if (known_) checkField(field);
    const std::string table = param ? "params" : "fields";
    params_.emplace_back(param ? field.text.substr(7) : field.text);
    const std::string column = numeric ? "x.num" : "x.text";
    return "EXISTS (SELECT 1 FROM " + table + " x WHERE x.run_id = r.id AND x.key = ? AND " + column + " " + sqlOp +
           " " + bindValue() + ")";
  }

  void checkStatus(const Token& value) const {
    std::set<std::string> statuses;
    for (const auto& [status, name] : EnumNames<RunStatus>::all()) statuses.insert(name);
    if (!statuses.count(value.text))
      throw FilterError("unknown status '" + value.text + "'", value.pos, didYouMean(value.text, statuses));
  }

  void checkField(const Token& field) const {
    static const std::set<std::string> columns = {"status", "name", "experiment", "uid", "host", "device", "created", "tag"};
    if (!isKnownField(field.text, *known_, columns))
      throw FilterError("unknown field '" + field.text + "'", field.pos,
                        didYouMean(field.text, fieldCandidates(*known_, columns)));
  }

  std::vector<Token> tokens_;
  const KnownNames* known_;
  std::size_t index_ = 0;
  int depth_ = 0;
  std::vector<SqlValue> params_;
};

}  // namespace

SqlFilter parseFilter(const std::string& expression, const KnownNames* known) { return Parser(expression, known).parse(); }

}  // namespace foldbench::tracker
