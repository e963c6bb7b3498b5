// wms-bench-decode: see CMakeLists.txt. Progress goes to stderr, one JSON
// object to stdout.
#define ZX_USE_UTF8
#include <ZXing/ReadBarcode.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stb/stb_image_write.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "CameraFrames.h"
#include "wms/handheld/Decoder.h"
#include "wms/handheld/ImageFile.h"

extern char** environ;

namespace {

using namespace wms::handheld;
using wms::bench::GreyImage;
namespace fs = std::filesystem;
namespace zx = ZXing;
using Rng = std::mt19937_64;

std::string digits(Rng& r, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += static_cast<char>('0' + r() % 10);
  return s;
}
std::string withCheck(std::string d) {
  int sum = 0;
  for (std::size_t i = 0; i < d.size(); ++i) sum += (d[d.size() - 1 - i] - '0') * (i % 2 == 0 ? 3 : 1);
  return d + static_cast<char>('0' + (10 - sum % 10) % 10);
}
std::string alnum(Rng& r, int n) {
  static const char* kChars = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
  std::string s;
  for (int i = 0; i < n; ++i) s += kChars[r() % 34];
  return s;
}
std::string yymmdd(Rng& r, bool dayZero) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d%02d%02d", 25 + static_cast<int>(r() % 3),
                1 + static_cast<int>(r() % 12), dayZero ? 0 : 1 + static_cast<int>(r() % 28));
  return buf;
}

// One benchmarked symbology: how zint draws it and which step reads it.
struct FormatSpec {
  const char* name;
  BarcodeFormat format;
  zx::BarcodeFormat zxFormat;
  ScanTarget step;
  bool matrix;
  std::function<std::vector<std::string>(Rng&)> zintArgs;
};

const std::vector<FormatSpec>& specs() {
  using F = BarcodeFormat;
  using Z = zx::BarcodeFormat;
  static const std::vector<FormatSpec> all = {
      {"EAN-8", F::Ean8, Z::EAN8, ScanTarget::Item, false,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "13", "-d", digits(r, 7)};
       }},
      {"EAN-13", F::Ean13, Z::EAN13, ScanTarget::Item, false,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "13", "-d", std::to_string(1 + r() % 9) + digits(r, 11)};
       }},
      {"UPC-A", F::UpcA, Z::UPCA, ScanTarget::Item, false,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "34", "-d", digits(r, 11)};
       }},
      {"UPC-E", F::UpcE, Z::UPCE, ScanTarget::Item, false,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "37", "-d", digits(r, 6)};
       }},
      {"Code128", F::Code128, Z::Code128, ScanTarget::Location, false,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "20", "-d",
                                         "A-" + digits(r, 2) + "-" + digits(r, 2) + "-" + digits(r, 2)};
       }},
      {"GS1-128", F::Code128, Z::Code128, ScanTarget::Item, false,
       [](Rng& r) {
         return std::vector<std::string>{
             "-b", "16", "--gs1", "-d",
             "[01]" + withCheck("0" + digits(r, 12)) + "[10]" + alnum(r, 5) + "[17]" + yymmdd(r, false)};
       }},
      {"Code39", F::Code39, Z::Code39, ScanTarget::Tote, false,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "8", "-d", "T" + alnum(r, 6)};
       }},
      {"ITF-14", F::Itf, Z::ITF, ScanTarget::Item, false,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "89", "-d", "1" + digits(r, 12)};
       }},
      {"DataMatrix", F::DataMatrix, Z::DataMatrix, ScanTarget::Item, true,
       [](Rng& r) {
         return std::vector<std::string>{
             "-b", "71", "--gs1", "-d",
             "[01]" + withCheck("0" + digits(r, 12)) + "[17]" + yymmdd(r, true) + "[10]" + alnum(r, 6)};
       }},
      {"QRCode", F::QrCode, Z::QRCode, ScanTarget::Location, true,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "58", "-d",
                                         "LOC-" + alnum(r, 2) + "-" + digits(r, 2) + "-" + digits(r, 2)};
       }},
      {"DataBar", F::DataBar, Z::DataBar, ScanTarget::Item, false,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "29", "-d", digits(r, 13)};
       }},
      {"DataBarExpanded", F::DataBarExpanded, Z::DataBarExpanded, ScanTarget::Item, false,
       [](Rng& r) {
         return std::vector<std::string>{
             "-b", "31", "-d",
             "[01]" + withCheck("0" + digits(r, 12)) + "[3103]00" + digits(r, 4) + "[15]" + yymmdd(r, true)};
       }},
  };
  return all;
}

int runProcess(std::vector<std::string> argv, const fs::path& output = {}) {
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, output.empty() ? "/dev/null" : output.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

GreyImage load(const fs::path& file) {
  auto frame = loadImageFile(file);
  if (!frame) return {};
  return GreyImage{frame->width(), frame->height(), frame->pixels()};
}

struct Sample {
  bool ok = false;
  bool aborted = false;
  double ms = 0;
};

// Plain ZXing in a child process: its abort on some frames is the point of
// the comparison, and must not end the benchmark.
Sample plainZxing(const GreyImage& img, zx::BarcodeFormat expectedFormat, const std::string& expected) {
  int fds[2];
  if (pipe(fds) != 0) return {false, true, 0};
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    signal(SIGABRT, SIG_DFL);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 2);  // the assert message
    auto t0 = std::chrono::steady_clock::now();
    zx::Result r =
        zx::ReadBarcode(zx::ImageView(img.pixels.data(), img.width, img.height, zx::ImageFormat::Lum));
    Sample s{r.isValid() && r.format() == expectedFormat && r.text() == expected, false,
             std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count()};
    if (write(fds[1], &s, sizeof s) != sizeof s) _exit(1);
    _exit(0);
  }
  close(fds[1]);
  Sample s;
  if (read(fds[0], &s, sizeof s) != sizeof s) s = Sample{false, true, 0};
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return s;
}

struct Stats {
  int frames = 0, decoded = 0, failures = 0;  // failures: aborts (plain) or decoder errors (ours)
  std::vector<double> ms;
  void add(const Sample& s) {
    ++frames;
    decoded += s.ok;
    failures += s.aborted;
    if (!s.aborted) ms.push_back(s.ms);
  }
  double rate() const { return frames ? static_cast<double>(decoded) / frames : 0; }
  double mean() const {
    double sum = 0;
    for (double v : ms) sum += v;
    return ms.empty() ? 0 : sum / static_cast<double>(ms.size());
  }
  double p95() const {
    if (ms.empty()) return 0;
    std::vector<double> s = ms;
    std::sort(s.begin(), s.end());
    return s[std::min(s.size() - 1, static_cast<std::size_t>(0.95 * static_cast<double>(s.size())))];
  }
};

std::string num(double v, int decimals = 2) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string statsJson(const Stats& s, const char* failureName) {
  return "{\"decoded\":" + std::to_string(s.decoded) + ",\"rate\":" + num(s.rate(), 3) +
         ",\"mean_ms\":" + num(s.mean()) + ",\"p95_ms\":" + num(s.p95()) + ",\"" + failureName +
         "\":" + std::to_string(s.failures) + "}";
}

// kB from a /proc status or smaps_rollup line "Name:   123 kB".
long procField(const fs::path& file, const std::string& name) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(name + ":", 0) == 0) return std::strtol(line.c_str() + name.size() + 1, nullptr, 10);
  return -1;
}

std::vector<int> childrenOf(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::vector<int> out;
  for (int c; in >> c;) out.push_back(c);
  return out;
}

struct Memory {
  long handheldPeakKb = -1, workerPeakKb = -1, pssPeakKb = -1;
  int exitCode = -1;
};

// Runs wms-handheld --decode over `dir`, sampling its memory and its decode
// worker's until it exits.
Memory measureHandheld(const std::string& binary, const fs::path& dir, const fs::path& out) {
  std::vector<std::string> argv{binary, "--decode", "--max", "1", dir.string()};
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  Memory m;
  if (posix_spawn(&pid, binary.c_str(), &actions, nullptr, cargv.data(), environ) != 0) return m;
  posix_spawn_file_actions_destroy(&actions);
  const fs::path proc = "/proc/" + std::to_string(pid);
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      m.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      break;
    }
    // VmHWM is the process's own peak; the worker is sampled while it lives.
    m.handheldPeakKb = std::max(m.handheldPeakKb, procField(proc / "status", "VmHWM"));
    long pss = std::max(0L, procField(proc / "smaps_rollup", "Pss"));
    for (int child : childrenOf(pid)) {
      const fs::path cp = "/proc/" + std::to_string(child);
      m.workerPeakKb = std::max(m.workerPeakKb, procField(cp / "status", "VmHWM"));
      pss += std::max(0L, procField(cp / "smaps_rollup", "Pss"));
    }
    m.pssPeakKb = std::max(m.pssPeakKb, pss);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  int framesPerFormat = 40;
  std::uint64_t seed = 20251111;
  int rssFrames = 4;
  std::string handheld = WMS_HANDHELD_BINARY;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "wms-bench-decode: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--frames")
      framesPerFormat = std::max(1, std::atoi(next().c_str()));
    else if (a == "--seed")
      seed = std::strtoull(next().c_str(), nullptr, 10);
    else if (a == "--rss-frames")
      rssFrames = std::max(0, std::atoi(next().c_str()));
    else if (a == "--handheld")
      handheld = next();
    else {
      std::cerr << "usage: wms-bench-decode [--frames N] [--seed S] [--rss-frames N] [--handheld PATH]\n";
      return 2;
    }
  }

  char tmpl[] = "/tmp/wms-bench-decode-XXXXXX";
  if (!mkdtemp(tmpl)) {
    std::perror("mkdtemp");
    return 1;
  }
  const fs::path tmp = tmpl;
  fs::create_directories(tmp / "frames");

  Decoder decoder;
  std::ostringstream formatsJson;
  Stats allOurs, allPlain;
  bool higherEverywhere = true, withinTimeEverywhere = true;
  double worstRatio = 0;
  int rssSaved = 0;
  for (std::size_t fi = 0; fi < specs().size(); ++fi) {
    const FormatSpec& spec = specs()[fi];
    Rng rng(seed + 7919 * fi);
    Stats ours, plain;
    int skipped = 0;
    for (int i = 0; i < framesPerFormat; ++i) {
      const fs::path symbolFile = tmp / "symbol.png";
      std::vector<std::string> args{"zint", "--quietzones", "--scale=1", "-o", symbolFile.string()};
      for (auto& a : spec.zintArgs(rng)) args.push_back(a);
      const std::uint64_t frameSeed = rng();
      if (runProcess(args) != 0) {
        ++skipped;
        continue;
      }
      GreyImage symbol = load(symbolFile);
      zx::Result clean = zx::ReadBarcode(
          zx::ImageView(symbol.pixels.data(), symbol.width, symbol.height, zx::ImageFormat::Lum),
          zx::DecodeHints().setFormats(spec.zxFormat));
      if (symbol.pixels.empty() || !clean.isValid()) {
        ++skipped;
        continue;
      }
      const std::string expected = clean.text();
      wms::bench::CameraFrame frame = wms::bench::makeCameraFrame(symbol, spec.matrix, frameSeed);
      if (rssSaved < rssFrames * static_cast<int>(fi + 1)) {
        const auto name =
            (tmp / "frames" / (std::string(spec.name) + "-" + std::to_string(i) + ".png")).string();
        stbi_write_png(name.c_str(), frame.image.width, frame.image.height, 1, frame.image.pixels.data(),
                       frame.image.width);
        ++rssSaved;
      }

      auto runOurs = [&] {
        auto f = Frame::fromPixels(frame.image.width, frame.image.height, frame.image.pixels).value();
        auto t0 = std::chrono::steady_clock::now();
        auto r = decoder.decode(f, formatsFor(spec.step), 1);
        Sample s;
        s.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (!r) {
          s.aborted = true;
        } else {
          s.ok = std::any_of(r->barcodes.begin(), r->barcodes.end(),
                             [&](const Barcode& b) { return b.format == spec.format && b.text == expected; });
        }
        ours.add(s);
      };
      // Alternate the order so that neither side always runs on a warm cache.
      if (i % 2 == 0) {
        plain.add(plainZxing(frame.image, spec.zxFormat, expected));
        runOurs();
      } else {
        runOurs();
        plain.add(plainZxing(frame.image, spec.zxFormat, expected));
      }
    }
    const double ratio = plain.mean() > 0 ? ours.mean() / plain.mean() : 0;
    higherEverywhere = higherEverywhere && ours.rate() > plain.rate();
    withinTimeEverywhere = withinTimeEverywhere && ratio <= 1.2;
    worstRatio = std::max(worstRatio, ratio);
    for (double v : ours.ms) allOurs.ms.push_back(v);
    for (double v : plain.ms) allPlain.ms.push_back(v);
    allOurs.frames += ours.frames, allOurs.decoded += ours.decoded, allOurs.failures += ours.failures;
    allPlain.frames += plain.frames, allPlain.decoded += plain.decoded, allPlain.failures += plain.failures;
    std::cerr << spec.name << ": ours " << ours.decoded << "/" << ours.frames << " in " << num(ours.mean(), 1)
              << " ms, plain " << plain.decoded << "/" << plain.frames << " in " << num(plain.mean(), 1)
              << " ms (" << plain.failures << " aborts)\n";
    formatsJson << (fi ? "," : "") << "{\"format\":\"" << spec.name << "\",\"step\":\"" << toString(spec.step)
                << "\",\"frames\":" << ours.frames << ",\"skipped\":" << skipped
                << ",\"ours\":" << statsJson(ours, "errors") << ",\"plain\":" << statsJson(plain, "aborts")
                << ",\"time_ratio\":" << num(ratio) << "}";
  }

  std::cerr << "memory: wms-handheld --decode over " << rssSaved << " frames\n";
  Memory mem = measureHandheld(handheld, tmp / "frames", tmp / "decode.jsonl");
  std::error_code ec;
  fs::remove_all(tmp, ec);

  const double allRatio = allPlain.mean() > 0 ? allOurs.mean() / allPlain.mean() : 0;
  std::cout << "{\"bench\":\"decode\",\"frame\":\"1280x720\",\"frames_per_format\":" << framesPerFormat
            << ",\"seed\":" << seed
            << ",\"baseline\":\"ZXing::ReadBarcode(image) with default hints, forked per frame\""
            << ",\"formats\":[" << formatsJson.str() << "]"
            << ",\"all\":{\"ours\":" << statsJson(allOurs, "errors")
            << ",\"plain\":" << statsJson(allPlain, "aborts") << ",\"time_ratio\":" << num(allRatio) << "}"
            << ",\"targets\":{\"higher_rate_every_format\":" << (higherEverywhere ? "true" : "false")
            << ",\"worst_time_ratio\":" << num(worstRatio)
            << ",\"within_1_2x_every_format\":" << (withinTimeEverywhere ? "true" : "false") << "}"
            << ",\"memory\":{\"command\":\"wms-handheld --decode --max 1 FOLDER\",\"frames\":" << rssSaved
            << ",\"exit_code\":" << mem.exitCode << ",\"handheld_peak_rss_kb\":" << mem.handheldPeakKb
            << ",\"worker_peak_rss_kb\":" << mem.workerPeakKb << ",\"peak_pss_total_kb\":" << mem.pssPeakKb
            << ",\"under_30_mb\":"
            << ((mem.handheldPeakKb > 0 && mem.handheldPeakKb < 30 * 1024) ? "true" : "false") << "}}"
            << std::endl;
  return 0;
}
