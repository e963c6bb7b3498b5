#include "wms/handheld/HandheldCommand.h"

#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <ostream>
#include <set>
#include <sstream>

#include "../workflow/Text.h"
#include "wms/handheld/Decoder.h"
#include "wms/handheld/DeviceLink.h"
#include "wms/handheld/FrameInput.h"
#include "wms/handheld/Handheld.h"
#include "wms/handheld/ImageFile.h"
#include "wms/handheld/Script.h"
#include "wms/handheld/BridgeClient.h"
#include "wms/handheld/Tui.h"
#include "wms/handheld/V4l2Camera.h"
#include "wms/protocol/Topics.h"

namespace wms::handheld {
namespace {

const std::set<std::string> kKeys = {"broker", "device", "password", "password_file", "ca_file", "db",
                                     "mode",   "badge",  "station",  "dock",          "tote_prefix",
                                     "cart_to", "log",   "camera",   "frames",        "size", "script", "bridge"};

constexpr std::size_t kMaxConfigBytes = 64 * 1024;

Result<std::string> readStream(std::istream& in, const std::string& path, std::size_t limit) {
  std::string text;
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > limit) return makeError(ErrorKind::TooLarge, path + " is over " + std::to_string(limit) + " bytes");
  }
  return text;
}

Result<std::string> readSmallFile(const std::string& path, std::size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return makeError(ErrorKind::NotFound, "cannot read " + path);
  return readStream(in, path, limit);
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

// Feedback to two places (the bridge's beeper and the headless output);
// either may be null.
class TeeFeedback : public Feedback {
 public:
  TeeFeedback(Feedback* a, Feedback* b) : a_(a), b_(b) {}
  void goodRead() override {
    if (a_) a_->goodRead();
    if (b_) b_->goodRead();
  }
  void error() override {
    if (a_) a_->error();
    if (b_) b_->error();
  }

 private:
  Feedback* a_;
  Feedback* b_;
};

// Feedback and log lines of the headless mode, in the output between the
// screens.
class StreamFeedback : public Feedback {
 public:
  explicit StreamFeedback(std::ostream& out) : out_(out) {}
  void goodRead() override { out_ << "[good]\n"; }
  void error() override { out_ << "[bad]\n"; }

 private:
  std::ostream& out_;
};

std::string timestamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

}  // namespace

std::string handheldCommandUsage() {
  return "usage: wms-handheld [--config FILE] [--broker URI] [--device ID]\n"
         "                    [--password P | --password-file FILE] [--ca-file FILE]\n"
         "                    [--db FILE] [--mode pick|pack|receive|putaway|replenish|count] [--badge BADGE]\n"
         "                    [--station ID] [--dock LOC]\n"
         "                    [--tote-prefix P]... [--cart-to TEXT] [--log FILE]\n"
         "                    [--camera /dev/videoN | --frames DIR] [--bridge SOCKET]\n"
         "                    [--script FILE|- [--size COLSxROWS]]\n"
         "       wms-handheld --decode ...   (image files to JSON lines; --decode --help)\n"
         "\n"
         "Without --script: the terminal UI. Type or scan into the keypad line, Enter submits\n"
         "(empty = confirm, digits = quantity, S/K/C/L/U/D/Q = short/skip/close/label/undo/damaged/\n"
         "sign out).\n"
         "F1 trigger (camera/frames), F2 short, F3 skip, F4 close, F5 label, F6 undo, F7 damaged,\n"
         "F10 quit.\n"
         "With --script: headless; prints the screen after each command (see docs/handheld.md).\n";
}

Result<std::map<std::string, std::string>> parseHandheldConfig(std::string_view text) {
  if (text.size() > kMaxConfigBytes)
    return makeError(ErrorKind::TooLarge, "config is over " + std::to_string(kMaxConfigBytes) + " bytes");
  std::map<std::string, std::string> out;
  std::istringstream in{std::string(text)};
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    line = trimmed(line);
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos)
      return makeError(ErrorKind::Invalid, "config line " + std::to_string(n) + ": expected key = value");
    const std::string key = trimmed(line.substr(0, eq));
    const std::string value = trimmed(line.substr(eq + 1));
    if (!kKeys.count(key) || key == "script")
      return makeError(ErrorKind::Invalid, "config line " + std::to_string(n) + ": unknown key '" +
                                               key.substr(0, 40) + "'");
    for (char c : value)
      if (static_cast<unsigned char>(c) < 0x20)
        return makeError(ErrorKind::Invalid, "config line " + std::to_string(n) + ": control character in the value");
    if (key == "tote_prefix" && out.count(key)) out[key] += "," + value;
    else out[key] = value;
  }
  return out;
}

int runHandheldCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto usage = [&](const std::string& why) {
    err << "wms-handheld: " << why << "\n" << handheldCommandUsage();
    return 2;
  };
  std::map<std::string, std::string> cli;
  std::vector<std::string> prefixes;
  std::string configFile;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out << handheldCommandUsage();
      return 0;
    }
    if (a.rfind("--", 0) != 0) return usage("unexpected argument '" + a + "'");
    std::string key = a.substr(2);
    for (auto& c : key)
      if (c == '-') c = '_';
    if (key != "config" && !kKeys.count(key)) return usage("unknown option " + a);
    if (i + 1 >= args.size()) return usage(a + " needs a value");
    const std::string value = args[++i];
    if (key == "config") configFile = value;
    else if (key == "tote_prefix") prefixes.push_back(value);
    else cli[key] = value;
  }
  std::map<std::string, std::string> settings;
  if (!configFile.empty()) {
    auto text = readSmallFile(configFile, kMaxConfigBytes);
    if (!text) return usage(text.error().message);
    auto parsed = parseHandheldConfig(*text);
    if (!parsed) return usage(configFile + ": " + parsed.error().message);
    settings = std::move(parsed).value();
  }
  for (auto& [k, v] : cli) settings[k] = v;
  if (!prefixes.empty()) {
    std::string joined;
    for (const auto& p : prefixes) joined += (joined.empty() ? "" : ",") + p;
    settings["tote_prefix"] = joined;
  }
  auto get = [&](const std::string& k) -> std::string {
    auto it = settings.find(k);
    return it == settings.end() ? std::string() : it->second;
  };

  HandheldOptions options;
  options.device = get("device");
  if (!protocol::isValidDeviceId(options.device)) return usage("--device must be 1-64 characters of [A-Za-z0-9_-]");
  const std::string mode = get("mode").empty() ? "pick" : get("mode");
  bool knownMode = false;
  for (auto m : {protocol::WorkMode::Pick, protocol::WorkMode::Pack, protocol::WorkMode::Receive,
                 protocol::WorkMode::Putaway, protocol::WorkMode::Replenish, protocol::WorkMode::Count})
    if (mode == protocol::toString(m)) {
      options.mode = m;
      knownMode = true;
    }
  if (!knownMode) return usage("--mode must be pick, pack, receive, putaway, replenish or count");
  if (!get("badge").empty()) options.badge = get("badge");
  if (!get("station").empty()) options.station = get("station");
  if (!get("dock").empty()) {
    if (!text::isId(get("dock"))) return usage("--dock must be a location code (1-64 characters, no spaces)");
    options.dock = get("dock");
  }
  if (!get("cart_to").empty()) options.cartDestination = get("cart_to");
  if (!get("tote_prefix").empty()) {
    options.totePrefixes.clear();
    std::string list = get("tote_prefix");
    std::size_t start = 0;
    while (start <= list.size()) {
      auto comma = list.find(',', start);
      std::string p = trimmed(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (!p.empty()) options.totePrefixes.push_back(p);
      start = comma == std::string::npos ? list.size() + 1 : comma + 1;
    }
  }
  std::string password = get("password");
  if (!get("password_file").empty()) {
    auto text = readSmallFile(get("password_file"), 4096);
    if (!text) return usage(text.error().message);
    password = trimmed(*text);
  }
  int columns = 20, rows = 16;
  if (!get("size").empty()) {
    const std::string s = get("size");
    const auto x = s.find('x');
    try {
      if (x == std::string::npos) throw std::invalid_argument("size");
      columns = std::stoi(s.substr(0, x));
      rows = std::stoi(s.substr(x + 1));
    } catch (const std::exception&) {
      return usage("--size must be COLSxROWS, e.g. 20x16");
    }
    if (columns < 16 || rows < 6 || columns > 400 || rows > 200) return usage("--size must be at least 16x6");
  }
  if (!get("camera").empty() && !get("frames").empty()) return usage("give --camera or --frames, not both");

  // The script is read (and checked) before anything starts.
  std::vector<ScriptCommand> script;
  const bool headless = !get("script").empty();
  bool scriptReadsFrames = false;
  std::filesystem::path scriptDir;
  if (headless) {
    std::string text;
    if (get("script") == "-") {
      auto t = readStream(std::cin, "the script on standard input", kMaxScriptBytes);
      if (!t) return usage(t.error().message);
      text = std::move(t).value();
    } else {
      auto t = readSmallFile(get("script"), kMaxScriptBytes);
      if (!t) return usage(t.error().message);
      text = std::move(t).value();
      scriptDir = std::filesystem::path(get("script")).parent_path();
    }
    auto parsed = parseScript(text);
    if (!parsed) return usage(parsed.error().message);
    script = std::move(parsed).value();
    for (const auto& c : script) scriptReadsFrames |= c.kind == ScriptCommand::Kind::Frame;
  }

  // The decoder forks its worker: start it before the MQTT threads exist.
  std::unique_ptr<Decoder> decoder;
  std::unique_ptr<FrameSource> frames;
  if (!get("camera").empty()) {
    CameraOptions co;
    co.device = get("camera");
    auto cam = V4l2Camera::open(co);
    if (!cam) {
      err << "wms-handheld: " << cam.error().message << "\n";
      return 1;
    }
    frames = std::move(cam).value();
  } else if (!get("frames").empty()) {
    auto dir = ImageFilesSource::directory(get("frames"), true);
    if (!dir) {
      err << "wms-handheld: " << dir.error().message << "\n";
      return 1;
    }
    frames = std::make_unique<ImageFilesSource>(std::move(dir).value());
  }
  if (frames || scriptReadsFrames) {
    decoder = std::make_unique<Decoder>();
    if (auto st = decoder->start(); !st) {
      err << "wms-handheld: decoder: " << st.error().message << "\n";
      return 1;
    }
  }

  const std::filesystem::path db = get("db").empty() ? options.device + ".outbox.db" : get("db");
  std::ofstream logFile;
  if (headless) {
    options.log = [&out](const std::string& line) { out << "# " << line << "\n"; };
  } else {
    const std::string path = get("log").empty() ? db.string() + ".log" : get("log");
    logFile.open(path, std::ios::app);
    options.log = [&logFile](const std::string& line) {
      if (logFile) logFile << timestamp() << " " << line << std::endl;
    };
  }

  std::unique_ptr<DeviceLink> link;
  if (!get("broker").empty()) {
    LinkOptions lo;
    lo.uri = get("broker");
    lo.device = options.device;
    lo.password = password;
    if (!get("ca_file").empty()) lo.caFile = get("ca_file");
    try {
      link = std::make_unique<DeviceLink>(lo);
    } catch (const std::exception& e) {
      return usage(std::string("broker: ") + e.what());
    }
    link->start();
  }

  // The firmware bridge, when there is one, brings the hardware's scans and
  // keys and takes the feedback to its beeper; without it, the camera path.
  std::unique_ptr<BridgeClient> bridge;
  if (!get("bridge").empty()) {
    auto b = BridgeClient::connect(get("bridge"));
    if (b) {
      bridge = std::move(b).value();
    } else {
      (headless ? out : err) << (headless ? "# " : "wms-handheld: ") << b.error().message << "; using the camera\n";
    }
  }
  StreamFeedback streamFeedback(out);
  TerminalBellFeedback bell(1);
  Feedback* local = headless ? static_cast<Feedback*>(&streamFeedback) : &bell;
  TeeFeedback tee(bridge.get(), headless ? local : nullptr);
  Feedback* feedback = bridge ? static_cast<Feedback*>(&tee) : local;
  auto app = Handheld::open(options, db, link.get(), feedback);
  if (!app) {
    err << "wms-handheld: " << app.error().message << "\n";
    return 1;
  }
  int code = 0;
  if (headless) {
    ScriptOptions so;
    so.columns = columns;
    so.rows = rows;
    so.decoder = decoder.get();
    so.baseDir = scriptDir;
    if (bridge) so.idle = [&] { bridge->pump(**app); };
    code = runScript(**app, link.get(), script, so, out);
  } else {
    TuiOptions to;
    if (bridge) to.idle = [&] { bridge->pump(**app); };
    if (frames) {
      to.trigger = [&](const std::optional<StepExpectation>& step) -> Input {
        auto frame = frames->next();
        if (!frame) return ScanFailed{frame.error().message};
        return readFrame(*decoder, *frame, step).input;
      };
    }
    code = runTui(**app, link.get(), to);
  }
  (*app)->poll();
  app->reset();
  if (link) link->stop();
  return code;
}

}  // namespace wms::handheld
