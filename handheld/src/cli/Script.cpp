#include "wms/handheld/Script.h"

#include <fstream>
#include <ostream>
#include <sstream>
#include <thread>

#include "wms/handheld/FrameInput.h"
#include "wms/handheld/ImageFile.h"
#include "wms/handheld/Layout.h"
#include "wms/handheld/ScanEngine.h"

namespace wms::handheld {
namespace {

using Kind = ScriptCommand::Kind;

Error lineError(int line, ErrorKind kind, const std::string& what) {
  return makeError(kind, "script line " + std::to_string(line) + ": " + what);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// "TEXT [SECONDS]": a trailing whole number is the timeout.
void splitTimeout(std::string& arg, std::chrono::milliseconds& timeout) {
  const auto space = arg.find_last_of(' ');
  if (space == std::string::npos) return;
  const std::string last = arg.substr(space + 1);
  if (last.empty() || last.size() > 5 || last.find_first_not_of("0123456789") != std::string::npos) return;
  timeout = std::chrono::seconds(std::stoi(last));
  arg = std::string(trim(arg.substr(0, space)));
}

std::string withSeparators(std::string s) {
  for (std::size_t at; (at = s.find("<GS>")) != std::string::npos;) s.replace(at, 4, "\x1d");
  return s;
}

}  // namespace

Result<std::vector<ScriptCommand>> parseScript(std::string_view text) {
  if (text.size() > kMaxScriptBytes)
    return makeError(ErrorKind::TooLarge, "script is over " + std::to_string(kMaxScriptBytes) + " bytes");
  std::vector<ScriptCommand> out;
  int number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    std::string_view raw = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    start = end == std::string_view::npos ? text.size() + 1 : end + 1;
    ++number;
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    for (char c : line)
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t')
        return lineError(number, ErrorKind::Malformed, "control character in the line (write <GS> for GS)");
    const auto space = line.find_first_of(" \t");
    const std::string word(line.substr(0, space));
    std::string arg(space == std::string_view::npos ? std::string_view() : trim(line.substr(space + 1)));
    ScriptCommand c;
    c.line = number;
    c.source = std::string(line.substr(0, 200));
    c.arg = arg;
    auto needArg = [&]() -> Status {
      if (c.arg.empty()) return lineError(number, ErrorKind::Invalid, "'" + word + "' needs an argument");
      return {};
    };
    auto noArg = [&]() -> Status {
      if (!c.arg.empty()) return lineError(number, ErrorKind::Invalid, "'" + word + "' takes no argument");
      return {};
    };
    Status st;
    if (word == "scan") {
      c.kind = Kind::Scan;
      st = needArg();
    } else if (word == "type") {
      c.kind = Kind::Type;
      st = needArg();
    } else if (word == "enter" || word == "esc") {
      c.kind = Kind::Key;
      c.key = word == "enter" ? Key::Enter : Key::Escape;
      st = noArg();
    } else if (word == "key") {
      c.kind = Kind::Key;
      bool known = false;
      for (Key k : {Key::Enter, Key::Escape, Key::Short, Key::Skip, Key::CloseCarton, Key::Label, Key::Undo,
                    Key::Damaged, Key::SignOut})
        if (arg == toString(k)) {
          c.key = k;
          known = true;
        }
      if (!known)
        st = lineError(number, ErrorKind::Invalid,
                       "unknown key '" + arg.substr(0, 40) +
                           "' (enter, escape, short, skip, close, label, undo, damaged, signout)");
    } else if (word == "frame") {
      c.kind = Kind::Frame;
      st = needArg();
    } else if (word == "wait-for") {
      c.kind = Kind::WaitFor;
      splitTimeout(c.arg, c.timeout);
      st = needArg();
    } else if (word == "wait-online" || word == "wait-synced") {
      c.kind = word == "wait-online" ? Kind::WaitOnline : Kind::WaitSynced;
      if (!c.arg.empty()) {
        std::string a = "x " + c.arg;
        splitTimeout(a, c.timeout);
        if (a != "x") st = lineError(number, ErrorKind::Invalid, "'" + word + "' takes only a number of seconds");
        c.arg.clear();
      }
    } else if (word == "sleep") {
      c.kind = Kind::Sleep;
      if (arg.empty() || arg.size() > 7 || arg.find_first_not_of("0123456789") != std::string::npos)
        st = lineError(number, ErrorKind::Invalid, "'sleep' needs milliseconds (0-9999999)");
      else c.timeout = std::chrono::milliseconds(std::stol(arg));
    } else if (word == "expect" || word == "expect-not") {
      c.kind = word == "expect" ? Kind::Expect : Kind::ExpectNot;
      st = needArg();
    } else if (word == "signal") {
      c.kind = Kind::Signal;
      st = needArg();
    } else if (word == "await-file") {
      c.kind = Kind::AwaitFile;
      splitTimeout(c.arg, c.timeout);
      st = needArg();
    } else if (word == "print" || word == "stats") {
      c.kind = word == "print" ? Kind::Print : Kind::Stats;
      st = noArg();
    } else {
      st = lineError(number, ErrorKind::Invalid, "unknown command '" + word.substr(0, 40) + "'");
    }
    if (!st) return st.error();
    out.push_back(std::move(c));
  }
  return out;
}

std::string statsJson(const SyncStats& s, std::size_t outbox) {
  std::ostringstream o;
  o << "{\"created\":" << s.created << ",\"published\":" << s.published << ",\"resent\":" << s.resent
    << ",\"applied\":" << s.applied << ",\"duplicate\":" << s.duplicate << ",\"rejected\":" << s.rejected
    << ",\"unknown_acks\":" << s.unknownAcks << ",\"server_errors\":" << s.serverErrors << ",\"ignored\":" << s.ignored
    << ",\"heartbeats\":" << s.heartbeats << ",\"outbox\":" << outbox << "}";
  return o.str();
}

int runScript(Handheld& app, DeviceLink* link, const std::vector<ScriptCommand>& script,
              const ScriptOptions& options, std::ostream& out) {
  auto screenText = [&] {
    app.poll();
    return panelText(layoutView(app.view(), "", options.columns, options.rows));
  };
  // The panel as drawn, or the screen model when a long text was wrapped
  // across panel lines.
  auto shows = [&](const std::string& what) {
    return screenText().find(what) != std::string::npos || app.view().screen.text().find(what) != std::string::npos;
  };
  auto pollFor = [&](std::chrono::milliseconds slice) {
    if (options.idle) options.idle();
    app.poll();
    if (link) link->wait(slice);
    else std::this_thread::sleep_for(slice);
    if (options.idle) options.idle();
    app.poll();
  };
  // Keeps polling until `done` or the deadline; true if done.
  auto waitUntil = [&](std::chrono::milliseconds timeout, const auto& done) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      app.poll();
      if (done()) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      pollFor(std::chrono::milliseconds(20));
    }
  };
  auto failed = [&](const ScriptCommand& c, const std::string& why) {
    out << "FAILED: line " << c.line << " (" << c.source << "): " << why << "\n" << screenText();
    out.flush();
    return 1;
  };
  auto resolve = [&](const ScriptCommand& c, std::string& text) -> Status {
    text = withSeparators(c.arg);
    for (const char* token : {"@location", "@item", "@tote", "@qty"}) {
      const auto at = text.find(token);
      if (at == std::string::npos) continue;
      auto step = app.expectation();
      if (!step) return makeError(ErrorKind::Invalid, std::string(token) + ": the step expects nothing");
      std::string value;
      const std::string t(token);
      if (t == "@qty") value = std::to_string(step->quantity);
      else if ((t == "@location" && step->expected.target != ScanTarget::Location) ||
               (t == "@item" && step->expected.target != ScanTarget::Item) ||
               (t == "@tote" && step->expected.target != ScanTarget::Tote))
        return makeError(ErrorKind::Invalid, t + ": the step expects a " + toString(step->expected.target));
      else value = step->text;
      text.replace(at, t.size(), value);
    }
    return {};
  };
  auto file = [&](const std::string& f) {
    std::filesystem::path p(f);
    return p.is_relative() && !options.baseDir.empty() ? options.baseDir / p : p;
  };

  for (const auto& c : script) {
    out << "> " << c.source << "\n";
    switch (c.kind) {
      case Kind::Scan: {
        std::string text;
        if (auto st = resolve(c, text); !st) return failed(c, st.error().message);
        auto scan = parseEngineOutput(text, std::chrono::system_clock::now());
        if (!scan) {
          app.input(ScanFailed{scan.error().message});
          break;
        }
        auto barcode = toBarcode(*scan);
        if (!barcode) app.input(ScanFailed{barcode.error().message});
        else app.input(ScanInput{*barcode});
        break;
      }
      case Kind::Type: {
        std::string text;
        if (auto st = resolve(c, text); !st) return failed(c, st.error().message);
        app.typed(text);
        break;
      }
      case Kind::Key:
        if (c.key == Key::Enter) app.typed("");
        else app.input(KeyPress{c.key});
        break;
      case Kind::Frame: {
        if (!options.decoder) return failed(c, "no decoder in this run");
        auto frame = loadImageFile(file(c.arg));
        if (!frame) return failed(c, frame.error().message);
        auto read = readFrame(*options.decoder, *frame, app.expectation());
        app.input(read.input);
        break;
      }
      case Kind::WaitFor:
        if (!waitUntil(c.timeout, [&] { return shows(c.arg); }))
          return failed(c, "the screen did not show '" + c.arg + "'");
        break;
      case Kind::WaitOnline:
        if (!waitUntil(c.timeout, [&] { return app.online(); })) return failed(c, "not online");
        break;
      case Kind::WaitSynced:
        if (!waitUntil(c.timeout, [&] { return app.online() && app.outboxCount() == 0; }))
          return failed(c, std::to_string(app.outboxCount()) + " event(s) still waiting" +
                               (app.online() ? "" : " (offline)"));
        break;
      case Kind::Sleep:
        waitUntil(c.timeout, [] { return false; });
        break;
      case Kind::Expect:
        if (!shows(c.arg)) return failed(c, "the screen does not show '" + c.arg + "'");
        break;
      case Kind::ExpectNot:
        if (shows(c.arg)) return failed(c, "the screen shows '" + c.arg + "'");
        break;
      case Kind::Signal: {
        std::ofstream touch(file(c.arg));
        if (!touch) return failed(c, "cannot create " + file(c.arg).string());
        break;
      }
      case Kind::AwaitFile:
        if (!waitUntil(c.timeout, [&] { return std::filesystem::exists(file(c.arg)); }))
          return failed(c, file(c.arg).string() + " did not appear");
        break;
      case Kind::Print:
        break;
      case Kind::Stats:
        out << statsJson(app.stats(), app.outboxCount()) << "\n";
        break;
    }
    out << screenText();
    out.flush();
  }
  return 0;
}

}  // namespace wms::handheld
