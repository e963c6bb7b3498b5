#include "Json.h"

#include "wms/common/TextChecks.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Handler.h>
#include <Poco/JSON/Parser.h>

#include <set>
#include <stdexcept>

namespace wms::protocol::json {
namespace {

// Thrown by the handler to stop the parse; caught in parse() below.
struct HandlerError {
  std::string message;
};

// Builds a Value tree. Poco calls it for every token; it keeps the path of
// open containers so that a value lands in the right parent.
class TreeBuilder final : public Poco::JSON::Handler {
 public:
  explicit TreeBuilder(std::size_t maxDepth) : maxDepth_(maxDepth) {}

  Value takeRoot() { return std::move(root_); }

  void reset() override {
    root_ = Value{};
    stack_.clear();
    keys_.clear();
  }
  void startObject() override { open(Value::Kind::Object); }
  void endObject() override { close(); }
  void startArray() override { open(Value::Kind::Array); }
  void endArray() override { close(); }
  void key(const std::string& k) override {
    // A repeated key would make the payload mean two things; Poco would keep the last.
    if (!keys_.back().insert(k).second) throw HandlerError{"the key \"" + printable(k) + "\" appears twice in one object"};
    pendingKey_ = k;
  }
  void null() override { add(Value{}); }
  void value(int v) override { addInteger(v); }
  void value(unsigned v) override { addInteger(v); }
  void value(Poco::Int64 v) override { addInteger(v); }
  void value(Poco::UInt64 v) override {
    Value x;
    x.kind = Value::Kind::Unsigned;
    x.uinteger = v;
    add(std::move(x));
  }
  void value(const std::string& s) override {
    Value x;
    x.kind = Value::Kind::String;
    x.string = s;
    add(std::move(x));
  }
  void value(double d) override {
    Value x;
    x.kind = Value::Kind::Double;
    x.number = d;
    add(std::move(x));
  }
  void value(bool b) override {
    Value x;
    x.kind = Value::Kind::Bool;
    x.boolean = b;
    add(std::move(x));
  }

  // Text from the payload or from Poco, safe to put in an error message.
  static std::string printable(std::string_view s, std::size_t limit = 40) {
    std::string out;
    for (char c : s.substr(0, limit)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    if (s.size() > limit) out += "...";
    return out;
  }

 private:
  void addInteger(std::int64_t v) {
    Value x;
    x.kind = Value::Kind::Integer;
    x.integer = v;
    add(std::move(x));
  }

  // Places v in the innermost open container (or as the root) and returns it.
  Value& add(Value v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return root_;
    }
    Value& parent = *stack_.back();
    if (parent.kind == Value::Kind::Object) {
      parent.keys.push_back(std::move(pendingKey_));
      parent.items.push_back(std::move(v));
      return parent.items.back();
    }
    parent.items.push_back(std::move(v));
    return parent.items.back();
  }

  void open(Value::Kind kind) {
    if (stack_.size() >= maxDepth_) {
      throw HandlerError{"nested deeper than " + std::to_string(maxDepth_) + " levels"};
    }
    Value v;
    v.kind = kind;
    // Pointers along the open path stay valid: a container only grows while
    // it is the innermost one, i.e. after its open children were closed.
    stack_.push_back(&add(std::move(v)));
    keys_.emplace_back();
  }

  void close() {
    stack_.pop_back();
    keys_.pop_back();
  }

  const std::size_t maxDepth_;
  Value root_;
  std::vector<Value*> stack_;
  std::vector<std::set<std::string>> keys_;
  std::string pendingKey_;
};

void appendEscaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

}  // namespace

std::string_view kindName(Value::Kind kind) noexcept {
  switch (kind) {
    case Value::Kind::Null: return "null";
    case Value::Kind::Bool: return "boolean";
    case Value::Kind::Integer:
    case Value::Kind::Unsigned: return "integer";
    case Value::Kind::Double: return "number";
    case Value::Kind::String: return "string";
    case Value::Kind::Array: return "array";
    case Value::Kind::Object: return "object";
  }
  return "null";
}

Result<Value> parse(std::string_view text, std::size_t maxDepth) {
  auto* builder = new TreeBuilder(maxDepth);
  Poco::JSON::Handler::Ptr handler(builder);  // owns builder
  Poco::JSON::Parser parser;
  parser.setHandler(handler);
  parser.setAllowComments(false);
  parser.setAllowNullByte(false);
  // Poco's own limit bounds its recursion; ours (in the handler) fires first
  // and names the problem.
  parser.setDepth(maxDepth + 2);
  // POCO reports broken UTF-8 as whatever its scanner tripped over
  // ("unterminated string literal"); name the real problem first.
  if (auto at = firstInvalidUtf8(text); at != std::string_view::npos)
    return makeError(ErrorKind::Malformed, "payload is not valid UTF-8 at byte " + std::to_string(at + 1));
  try {
    parser.parse(std::string(text));
  } catch (const HandlerError& e) {
    return makeError(ErrorKind::Malformed, "payload is not acceptable JSON: " + e.message);
  } catch (const Poco::Exception& e) {
    return makeError(ErrorKind::Malformed, "payload is not valid JSON: " + TreeBuilder::printable(e.displayText(), 160));
  } catch (const std::exception& e) {
    return makeError(ErrorKind::Malformed, std::string("payload is not valid JSON: ") + e.what());
  }
  return builder->takeRoot();
}

void Writer::key(std::string_view name) {
  separator();
  appendEscaped(out_, name);
  out_ += ':';
  afterKey_ = true;
}

void Writer::string(std::string_view value) {
  separator();
  appendEscaped(out_, value);
}

void Writer::integer(std::int64_t value) {
  separator();
  out_ += std::to_string(value);
}

void Writer::boolean(bool value) {
  separator();
  out_ += value ? "true" : "false";
}

}  // namespace wms::protocol::json

