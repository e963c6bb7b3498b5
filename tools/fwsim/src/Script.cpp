// wms-fwsim's script runner (README.md lists the commands).
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <csignal>
#include <fstream>
#include <istream>
#include <ostream>
#include <sstream>
#include <thread>

#include "wms/fwbridge/SerialPort.h"
#include "wms/fwsim/Simulators.h"

namespace wms::fwsim {
namespace {

std::atomic<bool> gStop{false};
extern "C" void onStopSignal(int) {
  gStop = true;
}

std::string gsText(std::string text) {
  for (std::size_t at; (at = text.find("<GS>")) != std::string::npos;) text.replace(at, 4, "\x1d");
  return text;
}

bool number(const std::string& text, long& out) {
  int base = 10;
  std::string_view t = text;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    base = 16;
    t.remove_prefix(2);
  }
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out, base);
  return ec == std::errc{} && end == t.data() + t.size() && !t.empty();
}

std::string describe(const fwbridge::DownMessage& m) {
  return std::visit(
      [](const auto& c) -> std::string {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, fwbridge::BeepCmd>)
          return std::string("beep ") + toString(c.pattern);
        else if constexpr (std::is_same_v<T, fwbridge::LedCmd>)
          return std::string("led ") + toString(c.colour) + " " + std::to_string(c.milliseconds);
        else if constexpr (std::is_same_v<T, fwbridge::VibrateCmd>)
          return "vibrate " + std::to_string(c.milliseconds);
        else if constexpr (std::is_same_v<T, fwbridge::EngineCmd>)
          return std::string("engine ") + (c.on ? "on" : "off");
        else
          return std::string("aimer ") + (c.aimer ? "on" : "off") + " illumination " +
                 (c.illumination ? "on" : "off");
      },
      m);
}

const char* kUsage =
    "usage: wms-fwsim [--mcu LINK] [--ssi LINK] [--firmware TEXT] [--noise RATE] [--seed N] [--script "
    "FILE|-]\n";

}  // namespace

int runFwsim(const std::vector<std::string>& args, std::istream& stdinScript, std::ostream& out,
             std::ostream& err) {
  McuOptions mcuOptions;
  SsiEngineOptions ssiOptions;
  std::string scriptPath = "-";
  double noise = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i + 1 >= args.size()) {
      err << kUsage;
      return 2;
    }
    const std::string& a = args[i];
    const std::string& v = args[++i];
    if (a == "--mcu")
      mcuOptions.linkPath = v;
    else if (a == "--ssi")
      ssiOptions.linkPath = v;
    else if (a == "--firmware")
      mcuOptions.firmware = v;
    else if (a == "--script")
      scriptPath = v;
    else if (a == "--noise")
      noise = std::atof(v.c_str());
    else if (a == "--seed")
      mcuOptions.seed = ssiOptions.seed = static_cast<unsigned>(std::atol(v.c_str()));
    else {
      err << "unknown option " << a << "\n" << kUsage;
      return 2;
    }
  }
  if (mcuOptions.linkPath.empty() && ssiOptions.linkPath.empty()) {
    err << "give --mcu, --ssi or both\n" << kUsage;
    return 2;
  }
  // The simulators' threads must not take SIGINT/SIGTERM: the main thread,
  // blocked reading the script, has to be the one interrupted.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
  struct Unblock {
    sigset_t* set;
    ~Unblock() { pthread_sigmask(SIG_UNBLOCK, set, nullptr); }
  } unblock{&stopSignals};
  std::unique_ptr<SimulatedMcu> mcu;
  std::unique_ptr<SimulatedSsiEngine> engine;
  if (!mcuOptions.linkPath.empty()) {
    mcuOptions.byteErrorRate = noise;
    auto m = SimulatedMcu::start(mcuOptions);
    if (!m) {
      err << "mcu: " << m.error().message << "\n";
      return 2;
    }
    mcu = std::move(*m);
    out << "mcu: " << mcuOptions.linkPath << " -> " << mcu->slavePath() << std::endl;
  }
  if (!ssiOptions.linkPath.empty()) {
    auto e = SimulatedSsiEngine::start(ssiOptions);
    if (!e) {
      err << "ssi: " << e.error().message << "\n";
      return 2;
    }
    engine = std::move(*e);
    engine->setByteErrorRate(noise);
    out << "ssi: " << ssiOptions.linkPath << " -> " << engine->slavePath() << std::endl;
  }
  // A script file is read through its descriptor with poll(), not an
  // ifstream: libstdc++ retries a read() interrupted by a signal, so a
  // script that is a FIFO nobody writes to (tools/run-demo) would never
  // see SIGTERM.
  fwbridge::UniqueFd scriptFd;
  if (scriptPath != "-") {
    scriptFd.reset(::open(scriptPath.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!scriptFd.valid()) {
      err << "cannot read " << scriptPath << "\n";
      return 2;
    }
  }
  std::string pending;
  bool ended = false;
  auto nextLine = [&](std::string& line) -> bool {
    if (!scriptFd.valid()) return static_cast<bool>(std::getline(stdinScript, line));
    for (;;) {
      const auto nl = pending.find('\n');
      if (nl != std::string::npos) {
        line = pending.substr(0, nl);
        pending.erase(0, nl + 1);
        return true;
      }
      if (ended || gStop) {
        if (pending.empty() || gStop) return false;
        line = std::exchange(pending, {});
        return true;
      }
      pollfd p{scriptFd.get(), POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buf[4096];
      const ssize_t n = ::read(scriptFd.get(), buf, sizeof buf);
      if (n > 0)
        pending.append(buf, static_cast<std::size_t>(n));
      else if (n == 0) {
        // A FIFO whose writers all closed reads as end of file until the
        // next writer: the end of the script only for a regular file.
        struct stat st {};
        if (::fstat(scriptFd.get(), &st) == 0 && S_ISFIFO(st.st_mode))
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        else
          ended = true;
      } else if (errno != EAGAIN && errno != EINTR) {
        ended = true;
      }
    }
  };
  // Without SA_RESTART: a script read from a FIFO (tools/run-demo) blocks
  // in read(), which must return (EINTR) for the loop to see the flag.
  struct sigaction sa {};
  sa.sa_handler = onStopSignal;
  sigemptyset(&sa.sa_mask);
  struct sigaction oldInt {
  }, oldTerm{};
  sigaction(SIGINT, &sa, &oldInt);
  sigaction(SIGTERM, &sa, &oldTerm);
  pthread_sigmask(SIG_UNBLOCK, &stopSignals, nullptr);

  std::string line;
  int lineNo = 0;
  auto bad = [&](const std::string& why) {
    err << "script line " << lineNo << ": " << why << "\n";
    return 2;
  };
  while (!gStop && nextLine(line)) {
    ++lineNo;
    std::istringstream words(line);
    std::string cmd;
    if (!(words >> cmd) || cmd[0] == '#') continue;
    std::string rest;
    std::getline(words >> std::ws, rest);
    std::istringstream args2(rest);
    out << "> " << line << std::endl;
    auto needMcu = [&] { return mcu != nullptr; };
    if (cmd == "wait-link" || cmd == "wait-idle") {
      long seconds = 10;
      if (!rest.empty() && !number(rest, seconds)) return bad("seconds expected");
      if (!needMcu()) return bad("no --mcu");
      const bool ok = cmd == "wait-link" ? mcu->waitLinkUp(std::chrono::seconds(seconds))
                                         : mcu->waitIdle(std::chrono::seconds(seconds));
      if (!ok) {
        out << "FAILED: " << cmd << " after " << seconds << " s" << std::endl;
        return 1;
      }
    } else if (cmd == "trigger") {
      if (!needMcu() || (rest != "down" && rest != "up")) return bad("trigger down|up (needs --mcu)");
      mcu->trigger(rest == "down");
    } else if (cmd == "scan") {
      std::string aim, data;
      args2 >> aim;
      std::getline(args2 >> std::ws, data);
      if (!needMcu() || aim.empty() || data.empty()) return bad("scan AIM|- DATA (needs --mcu)");
      fwbridge::ScanMsg scan{aim == "-" ? std::string() : aim, gsText(data)};
      if (!fwbridge::decodeUp(fwbridge::encodeUp(scan).type, fwbridge::encodeUp(scan).payload))
        return bad("not a valid scan");
      mcu->send(scan);
    } else if (cmd == "ssi-scan") {
      std::string type, data;
      args2 >> type;
      std::getline(args2 >> std::ws, data);
      long t = 0;
      if (!engine || !number(type, t) || t < 0 || t > 255 || data.empty())
        return bad("ssi-scan TYPE DATA (needs --ssi)");
      engine->decode(static_cast<std::uint8_t>(t), gsText(data));
    } else if (cmd == "key") {
      long code = 0;
      if (!needMcu() || !number(rest, code) || code < 0 || code > 255)
        return bad("key CODE (0-255, needs --mcu)");
      mcu->send(fwbridge::KeyMsg{static_cast<std::uint8_t>(code)});
    } else if (cmd == "battery") {
      std::string p, charging;
      args2 >> p >> charging;
      long percent = 0;
      if (!needMcu() || !number(p, percent) || percent < 0 || percent > 100)
        return bad("battery PERCENT [charging]");
      mcu->send(fwbridge::BatteryMsg{static_cast<std::uint8_t>(percent), charging == "charging"});
    } else if (cmd == "fault") {
      std::string c, text;
      args2 >> c;
      std::getline(args2 >> std::ws, text);
      long code = 0;
      if (!needMcu() || !number(c, code) || code < 0 || code > 255) return bad("fault CODE [TEXT]");
      mcu->send(fwbridge::FaultMsg{static_cast<std::uint8_t>(code), text});
    } else if (cmd == "noise") {
      const double rate = std::atof(rest.c_str());
      if (rate < 0 || rate > 0.5) return bad("noise RATE (0..0.5)");
      if (mcu) mcu->setByteErrorRate(rate);
      if (engine) engine->setByteErrorRate(rate);
    } else if (cmd == "garbage") {
      long n = 0;
      if (!needMcu() || !number(rest, n) || n < 0 || n > 100000) return bad("garbage N");
      mcu->injectGarbage(static_cast<std::size_t>(n));
    } else if (cmd == "vanish") {
      long ms = 0;
      if (!rest.empty() && !number(rest, ms)) return bad("vanish [MS]");
      if (mcu) mcu->vanish();
      if (engine) engine->vanish();
      if (ms > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        if (mcu) mcu->reappear();
        if (engine) engine->reappear();
      }
    } else if (cmd == "reappear") {
      if (mcu) mcu->reappear();
      if (engine) engine->reappear();
    } else if (cmd == "reboot") {
      if (!needMcu()) return bad("reboot needs --mcu");
      mcu->reboot();
    } else if (cmd == "ssi-mode") {
      if (!engine || (rest != "ack" && rest != "nak" && rest != "silent"))
        return bad("ssi-mode ack|nak|silent (needs --ssi)");
      engine->setMode(rest == "ack"   ? SimulatedSsiEngine::Mode::Ack
                      : rest == "nak" ? SimulatedSsiEngine::Mode::Nak
                                      : SimulatedSsiEngine::Mode::Silent);
    } else if (cmd == "sleep") {
      long ms = 0;
      if (!number(rest, ms) || ms < 0) return bad("sleep MS");
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    } else if (cmd == "commands") {
      if (mcu) {
        for (const auto& c : mcu->commands()) out << "mcu " << describe(c) << "\n";
      }
      if (engine) {
        for (auto op : engine->commands())
          out << "ssi opcode 0x" << std::hex << static_cast<int>(op) << std::dec << "\n";
      }
      out << std::flush;
    } else if (cmd == "hold") {
      while (!gStop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } else {
      return bad("unknown command '" + cmd + "'");
    }
  }
  sigaction(SIGINT, &oldInt, nullptr);
  sigaction(SIGTERM, &oldTerm, nullptr);
  return 0;
}

}  // namespace wms::fwsim
