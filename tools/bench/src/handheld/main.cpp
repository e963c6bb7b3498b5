// wms-bench-handheld: resident memory of wms-handheld while it picks a
// batch. A real mosquitto and a scripted server (acks every event, sends a
// batch of N stops); wms-handheld runs headless and reads every label from
// a camera-like image (rendered with the simulator's renderer) through its
// decode worker. Its memory and the worker's are sampled every 5 ms.
// Baseline, same run, same images: `wms-handheld --decode --max 1 FOLDER`
// (the decode path alone). Prints one JSON object; progress on stderr.
//
// usage: wms-bench-handheld [--stops N] [--seed S] [--handheld PATH]
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "wms/handheld/Decoder.h"
#include "wms/protocol/Codec.h"
#include "wms/protocol/MqttClient.h"
#include "wms/protocol/Topics.h"
#include "wms/sim/BarcodeImage.h"
#include "wms/testsupport/MosquittoBroker.h"
#include "wms/testsupport/TempDir.h"

extern char** environ;

namespace fs = std::filesystem;
using namespace wms;

namespace {

long procField(const fs::path& file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) != 0) continue;
    std::istringstream s(line.substr(key.size() + 1));
    long v = -1;
    s >> v;
    return v;
  }
  return -1;
}

std::vector<int> childrenOf(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::vector<int> out;
  for (int c; in >> c;) out.push_back(c);
  return out;
}

struct Memory {
  long processPeakKb = -1;  // VmHWM of wms-handheld
  long processLastKb = -1;  // VmRSS at the last sample
  long workerPeakKb = -1;   // VmHWM of its decode worker
  long pssPeakKb = -1;      // both, shared pages counted once
  int exitCode = -1;
  double seconds = 0;
};

Memory measure(const std::vector<std::string>& argv, const fs::path& out) {
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  Memory m;
  const auto start = std::chrono::steady_clock::now();
  const int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return m;
  const fs::path proc = "/proc/" + std::to_string(pid);
  for (;;) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      m.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    m.processPeakKb = std::max(m.processPeakKb, procField(proc / "status", "VmHWM"));
    if (auto rss = procField(proc / "status", "VmRSS"); rss > 0) m.processLastKb = rss;
    long pss = std::max(0L, procField(proc / "smaps_rollup", "Pss"));
    for (int child : childrenOf(pid)) {
      const fs::path cp = "/proc/" + std::to_string(child);
      m.workerPeakKb = std::max(m.workerPeakKb, procField(cp / "status", "VmHWM"));
      pss += std::max(0L, procField(cp / "smaps_rollup", "Pss"));
    }
    m.pssPeakKb = std::max(m.pssPeakKb, pss);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return m;
}

void writePgm(const fs::path& file, const handheld::Frame& f) {
  std::ofstream out(file, std::ios::binary);
  out << "P5\n" << f.width() << " " << f.height() << "\n255\n";
  out.write(reinterpret_cast<const char*>(f.data()), static_cast<std::streamsize>(f.pixels().size()));
}

std::string json(const Memory& m) {
  std::ostringstream o;
  o << "{\"process_peak_rss_kb\":" << m.processPeakKb << ",\"process_last_rss_kb\":" << m.processLastKb
    << ",\"worker_peak_rss_kb\":" << m.workerPeakKb << ",\"peak_pss_total_kb\":" << m.pssPeakKb
    << ",\"exit_code\":" << m.exitCode << ",\"seconds\":" << m.seconds << "}";
  return o.str();
}

// The server's side: acks every event, answers the sign-in with the batch.
class Server {
 public:
  Server(const testsupport::MosquittoBroker& broker, protocol::TaskAssign task) : task_(std::move(task)) {
    protocol::MqttOptions o;
    o.server(broker.serverUri()).clientId("bench-server").credentials(broker.server().username, broker.server().password);
    client_ = std::make_unique<protocol::MqttClient>(o);
    client_->onMessage([this](const protocol::MqttMessage& m) {
      auto d = protocol::decodeFromTopic(m.topic, m.payload);
      if (!d) return;
      const auto* id = protocol::eventIdOf(*d);
      if (!id) return;
      protocol::Ack a;
      a.device = protocol::baseOf(*d).device;
      a.eventId = *id;
      (void)client_->publish(protocol::topicOf(a), protocol::encode(a), 1, false);
      ++events_;
      if (std::holds_alternative<protocol::SignIn>(*d))
        (void)client_->publish(protocol::topicOf(task_), protocol::encode(task_), 1, false);
    });
    if (auto st = client_->connect(std::chrono::seconds(10)); !st) throw std::runtime_error(st.error().message);
    if (auto st = client_->subscribe(protocol::filterForAllDevices(protocol::TopicKind::Events), 1); !st)
      throw std::runtime_error(st.error().message);
  }
  int events() const { return events_; }

 private:
  protocol::TaskAssign task_;
  std::unique_ptr<protocol::MqttClient> client_;
  std::atomic<int> events_{0};
};

}  // namespace

int main(int argc, char** argv) {
  int stops = 40;
  std::uint64_t seed = 20251126;
  std::string binary = WMS_HANDHELD_BINARY;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) {
      std::cerr << "usage: wms-bench-handheld [--stops N] [--seed S] [--handheld PATH]\n";
      return 2;
    }
    const std::string v = argv[++i];
    if (a == "--stops") stops = std::clamp(std::atoi(v.c_str()), 1, 250);  // one task.assign stays within 64 KiB
    else if (a == "--seed") seed = std::stoull(v);
    else if (a == "--handheld") binary = v;
    else {
      std::cerr << "wms-bench-handheld: unknown option " << a << "\n";
      return 2;
    }
  }
  testsupport::TempDir dir("wms-bench-handheld");
  const fs::path frames = dir / "frames";
  fs::create_directories(frames);

  // The batch: stops of 2 units each, one tote each of 8 on the cart.
  protocol::TaskAssign task;
  task.device = "HH-BENCH";
  task.batchId = "B-BENCH";
  task.waveId = "W-BENCH";
  for (int t = 1; t <= 8; ++t) task.totes.push_back({"A" + std::to_string(t), "T-" + std::to_string(1000 + t)});
  const char* gtins[] = {"4006381333931", "036000291452", "96385074", "5901234123457", "9501101530003"};
  for (int s = 0; s < stops; ++s) {
    protocol::PickStop st;
    st.stopId = "S" + std::to_string(s + 1);
    st.seq = (s + 1) * 10;
    st.location = "A-" + std::to_string(10 + s / 20) + "-" + std::to_string(10 + s % 20) + "-1";
    st.sku = "SKU-" + std::to_string(s % 5);
    st.description = "bench item " + std::to_string(s % 5);
    st.barcodes = {gtins[s % 5]};
    st.qty = 2;
    st.puts = {{task.totes[static_cast<std::size_t>(s % 8)].tote, 2, "O-" + std::to_string(s), "L-" + std::to_string(s)}};
    task.stops.push_back(st);
  }

  // A camera image of every label the picker scans, checked to decode.
  std::cerr << "bench: rendering " << 3 * stops << " labels\n";
  handheld::Decoder decoder;
  if (!decoder.start()) return 1;
  std::mt19937 rng(static_cast<std::mt19937::result_type>(seed));
  sim::CameraLook look;
  look.blurMax = 0.4;
  look.noiseMax = 4;
  int rendered = 0, rerenders = 0;
  std::ostringstream script;
  script << "wait-online 30\nscan BENCH-1\nwait-for SCAN LOCATION 30\n";
  auto label = [&](handheld::ScanTarget target, const std::string& text) -> std::string {
    for (int attempt = 0; attempt < 20; ++attempt) {
      auto format = sim::labelFormat(target, text, rng);
      auto frame = sim::renderLabel(format, text, look, rng);
      if (!frame) continue;
      auto r = decoder.decode(*frame, handheld::formatsFor(target), 1);
      if (!r || r->barcodes.empty() || r->barcodes[0].text != text) {
        ++rerenders;
        continue;
      }
      const fs::path file = frames / ("f" + std::to_string(1000 + rendered++) + ".pgm");
      writePgm(file, *frame);
      return file.string();
    }
    std::cerr << "bench: cannot render a readable label for " << text << "\n";
    std::exit(1);
  };
  for (const auto& st : task.stops) {
    script << "frame " << label(handheld::ScanTarget::Location, st.location) << "\n";
    script << "frame " << label(handheld::ScanTarget::Item, st.barcodes[0]) << "\n";
    script << "type 2\n";
    script << "frame " << label(handheld::ScanTarget::Tote, st.puts[0].tote) << "\n";
  }
  script << "expect BATCH DONE\nwait-synced 60\nstats\n";
  std::ofstream(dir / "pick.script") << script.str();

  testsupport::MosquittoBroker::Options bo;
  bo.deviceIds = {"HH-BENCH"};
  testsupport::MosquittoBroker broker(bo);
  Server server(broker, task);

  std::cerr << "bench: baseline, wms-handheld --decode over the " << rendered << " images\n";
  const Memory base = measure({binary, "--decode", "--max", "1", frames.string()}, dir / "decode.out");
  std::cerr << "bench: picking " << stops << " stops headless\n";
  const Memory pick = measure({binary, "--script", (dir / "pick.script").string(), "--broker", broker.uri(),
                               "--device", "HH-BENCH", "--password", broker.device(0).password, "--db",
                               (dir / "hh.db").string()},
                              dir / "pick.out");
  const std::string text = testsupport::readFile(dir / "pick.out");
  if (pick.exitCode != 0) std::cerr << text.substr(text.size() > 3000 ? text.size() - 3000 : 0) << "\n";
  const auto statsAt = text.rfind("{\"created\"");
  const std::string stats = statsAt == std::string::npos ? "null" : text.substr(statsAt, text.find('\n', statsAt) - statsAt);
  const long targetKb = 30 * 1024;
  std::cout << "{\"bench\":\"handheld\",\"stops\":" << stops << ",\"labels\":" << rendered
            << ",\"rerendered_until_readable\":" << rerenders << ",\"target_rss_kb\":" << targetKb
            << ",\"picking\":" << json(pick) << ",\"picking_stats\":" << stats
            << ",\"server_events\":" << server.events() << ",\"baseline_decode_only\":" << json(base)
            << ",\"target_met\":" << (pick.exitCode == 0 && pick.processPeakKb > 0 && pick.processPeakKb < targetKb ? "true" : "false")
            << "}" << std::endl;
  return pick.exitCode == 0 ? 0 : 1;
}
