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
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "CameraFrames.h"
#include "ZbarScanner.h"
#include "wms/handheld/Decoder.h"
#include "wms/handheld/ImageFile.h"

extern char** environ;

namespace {

using namespace wms::handheld;
using wms::bench::GreyImage;
namespace fs = std::filesystem;
namespace zx = ZXing;
using Rng = std::mt19937_64;
using Zs = wms::bench::ZbarSymbology;
using wms::bench::ZbarScanner;

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
  wms::bench::ZbarSymbology zbarType;  // Other: zbar has no reader for it
};

const std::vector<FormatSpec>& specs() {
  using F = BarcodeFormat;
  using Z = zx::BarcodeFormat;
  static const std::vector<FormatSpec> all = {
      {"EAN-8", F::Ean8, Z::EAN8, ScanTarget::Item, false,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "13", "-d", digits(r, 7)};
       },
       Zs::Ean8},
      {"EAN-13", F::Ean13, Z::EAN13, ScanTarget::Item, false,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "13", "-d", std::to_string(1 + r() % 9) + digits(r, 11)};
       },
       Zs::Ean13},
      {"UPC-A", F::UpcA, Z::UPCA, ScanTarget::Item, false,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "34", "-d", digits(r, 11)};
       },
       Zs::UpcA},
      {"UPC-E", F::UpcE, Z::UPCE, ScanTarget::Item, false,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "37", "-d", digits(r, 6)};
       },
       Zs::UpcE},
      {"Code128", F::Code128, Z::Code128, ScanTarget::Location, false,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "20", "-d",
                                         "A-" + digits(r, 2) + "-" + digits(r, 2) + "-" + digits(r, 2)};
       },
       Zs::Code128},
      {"GS1-128", F::Code128, Z::Code128, ScanTarget::Item, false,
       [](Rng& r) {
         return std::vector<std::string>{
             "-b", "16", "--gs1", "-d",
             "[01]" + withCheck("0" + digits(r, 12)) + "[10]" + alnum(r, 5) + "[17]" + yymmdd(r, false)};
       },
       Zs::Code128},
      {"Code39", F::Code39, Z::Code39, ScanTarget::Tote, false,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "8", "-d", "T" + alnum(r, 6)};
       },
       Zs::Code39},
      {"ITF-14", F::Itf, Z::ITF, ScanTarget::Item, false,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "89", "-d", "1" + digits(r, 12)};
       },
       Zs::Itf},
      {"DataMatrix", F::DataMatrix, Z::DataMatrix, ScanTarget::Item, true,
       [](Rng& r) {
         return std::vector<std::string>{
             "-b", "71", "--gs1", "-d",
             "[01]" + withCheck("0" + digits(r, 12)) + "[17]" + yymmdd(r, true) + "[10]" + alnum(r, 6)};
       },
       Zs::Other},
      {"QRCode", F::QrCode, Z::QRCode, ScanTarget::Location, true,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "58", "-d",
                                         "LOC-" + alnum(r, 2) + "-" + digits(r, 2) + "-" + digits(r, 2)};
       },
       Zs::QrCode},
      {"DataBar", F::DataBar, Z::DataBar, ScanTarget::Item, false,
       [](Rng& r) {
         return std::vector<std::string>{"-b", "29", "-d", digits(r, 13)};
       },
       Zs::DataBar},
      {"DataBarExpanded", F::DataBarExpanded, Z::DataBarExpanded, ScanTarget::Item, false,
       [](Rng& r) {
         return std::vector<std::string>{
             "-b", "31", "-d",
             "[01]" + withCheck("0" + digits(r, 12)) + "[3103]00" + digits(r, 4) + "[15]" + yymmdd(r, true)};
       },
       Zs::DataBarExpanded},
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
  bool wrong = false;  // the expected symbology came back with other text (a misread)
};

// Plain ZXing in a child process: its abort on some frames is the point of
// the comparison, and must not end the benchmark.
Sample plainZxing(const GreyImage& img, zx::BarcodeFormat expectedFormat, const std::string& expected) {
  const auto started = std::chrono::steady_clock::now();
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
             std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(),
             r.isValid() && r.format() == expectedFormat && r.text() != expected};
    if (write(fds[1], &s, sizeof s) != sizeof s) _exit(1);
    _exit(0);
  }
  close(fds[1]);
  Sample s;
  if (read(fds[0], &s, sizeof s) != sizeof s)
    s = Sample{false, true,
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count()};
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return s;
}

// Text without control characters: ZXing and zbar differ in how they show
// GS1's FNC1 (a GS character, or nothing at the start).
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  return out;
}

// zbar read the expected symbol: same symbology, same text once FNC1s are
// set aside; zbar reports a GS1 DataBar's GTIN with its AI (01) in front,
// and DataBar Expanded's AIs without the parentheses ZXing puts around them.
bool zbarRead(const FormatSpec& spec, const std::vector<ZbarScanner::Symbol>& found,
              const std::string& expected, bool* wrong = nullptr) {
  std::string want = printable(expected);
  if (spec.zbarType == Zs::DataBarExpanded) std::erase_if(want, [](char c) { return c == '(' || c == ')'; });
  auto same = [&](const ZbarScanner::Symbol& s) {
    const std::string got = printable(s.text);
    return got == want || (spec.zbarType == Zs::DataBar && got == "01" + want);
  };
  bool read = false;
  for (const auto& s : found) {
    if (s.type != spec.zbarType) continue;
    if (same(s))
      read = true;
    else if (wrong)
      *wrong = true;
  }
  return read;
}

Sample timedZbar(ZbarScanner& zbar, const FormatSpec& spec, const GreyImage& img,
                 const std::string& expected) {
  auto t0 = std::chrono::steady_clock::now();
  auto found = zbar.scan(img);
  Sample s;
  s.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  s.ok = zbarRead(spec, found, expected, &s.wrong);
  return s;
}

// Beside a saved frame: the text it holds (first line, as ZXing reads the
// clean symbol) and what was done to it, so that a frame can be tried again
// without the benchmark.
void writeExpected(const fs::path& file, const std::string& expected, const wms::bench::Distortion& d) {
  std::ofstream(file) << expected << "\n" << wms::bench::describe(d) << "\n";
}

// Blur against module size, the limit of what any reader can resolve:
// frames in three bands of blur sigma / module size.
constexpr double kBlurBands[] = {0.25, 0.35};
int blurBand(const wms::bench::Distortion& d) {
  const double r = d.blurSigma / d.modulePixels;
  return r < kBlurBands[0] ? 0 : r < kBlurBands[1] ? 1 : 2;
}

struct Stats {
  int frames = 0, decoded = 0, failures = 0;  // failures: aborts (plain) or decoder errors (ours)
  int misreads = 0;
  std::vector<double> ms;
  int bandFrames[3] = {}, bandDecoded[3] = {};
  void add(const Sample& s, int band = -1) {
    ++frames;
    decoded += s.ok;
    failures += s.aborted;
    misreads += s.wrong && !s.ok;
    if (!s.aborted) ms.push_back(s.ms);
    if (band >= 0) ++bandFrames[band], bandDecoded[band] += s.ok;
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
  std::string bands;
  if (s.bandFrames[0] + s.bandFrames[1] + s.bandFrames[2] > 0) {
    bands = ",\"by_blur_per_module\":[";
    for (int b = 0; b < 3; ++b)
      bands += std::string(b ? "," : "") + "{\"band\":\"" +
               (b == 0   ? "<" + num(kBlurBands[0])
                : b == 1 ? num(kBlurBands[0]) + "-" + num(kBlurBands[1])
                         : ">=" + num(kBlurBands[1])) +
               "\",\"frames\":" + std::to_string(s.bandFrames[b]) +
               ",\"decoded\":" + std::to_string(s.bandDecoded[b]) + "}";
    bands += "]";
  }
  return "{\"decoded\":" + std::to_string(s.decoded) + ",\"rate\":" + num(s.rate(), 3) +
         ",\"mean_ms\":" + num(s.mean()) + ",\"p95_ms\":" + num(s.p95()) +
         ",\"misreads\":" + std::to_string(s.misreads) + ",\"" + failureName +
         "\":" + std::to_string(s.failures) + bands + "}";
}

// Stream mode: how long from the moment a symbol starts coming into view
// until a decoder has read it, with a 30 fps camera feeding a decoder that
// takes the newest frame whenever it is free (frames that arrive while it is
// busy are dropped, as a live preview does). Each decoder's own measured
// time per frame drives its clock. Unread within the stream: nullopt.
std::optional<double> timeToFirstRead(int frames, const std::function<const GreyImage&(int)>& frameAt,
                                      const std::function<Sample(const GreyImage&)>& decode) {
  const double interval = 1000.0 / wms::bench::SymbolStream::kFramesPerSecond;
  double now = 0;
  for (;;) {
    const int k = static_cast<int>(std::floor(now / interval + 1e-9));
    if (k >= frames) return std::nullopt;
    const Sample s = decode(frameAt(k));
    now += s.ms;
    if (s.ok) return now;
    now = std::max(now, (k + 1) * interval);  // wait for a frame not yet tried
  }
}

struct StreamStats {
  int streams = 0;
  std::vector<double> ms;  // time to first read of the streams read
  void add(std::optional<double> t) {
    ++streams;
    if (t) ms.push_back(*t);
  }
  // Percentile over all streams, unread ones counting as slowest; nullopt
  // when it falls on an unread stream.
  std::optional<double> percentile(double p) const {
    if (streams == 0) return std::nullopt;
    std::vector<double> s = ms;
    std::sort(s.begin(), s.end());
    auto i = static_cast<std::size_t>(std::ceil(p * streams)) - 1;
    if (p * streams < 1) i = 0;
    if (i >= s.size()) return std::nullopt;
    return s[i];
  }
};

std::string streamJson(const StreamStats& s) {
  auto opt = [](std::optional<double> v) { return v ? num(*v, 0) : std::string("null"); };
  return "{\"read\":" + std::to_string(s.ms.size()) + ",\"p50_ms\":" + opt(s.percentile(0.5)) +
         ",\"p95_ms\":" + opt(s.percentile(0.95)) + "}";
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
  int streamsPerFormat = 5;
  int streamFrames = 45;
  std::string only;
  fs::path saveFailures, saveFrames;
  bool logFrames = false;
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
    else if (a == "--streams")
      streamsPerFormat = std::max(0, std::atoi(next().c_str()));
    else if (a == "--stream-frames")
      streamFrames = std::max(1, std::atoi(next().c_str()));
    else if (a == "--only")
      only = "," + next() + ",";
    else if (a == "--save-failures")
      saveFailures = next();
    else if (a == "--save-frames")
      saveFrames = next();
    else if (a == "--log-frames")
      logFrames = true;
    else if (a == "--handheld")
      handheld = next();
    else {
      std::cerr << "usage: wms-bench-decode [--frames N] [--seed S] [--rss-frames N] [--streams N]\n"
                   "                        [--stream-frames N] [--only FORMAT[,FORMAT...]]\n"
                   "                        [--save-failures DIR] [--save-frames DIR] [--log-frames]\n"
                   "                        [--handheld PATH]\n";
      return 2;
    }
  }
  if (!saveFailures.empty()) fs::create_directories(saveFailures);
  if (!saveFrames.empty()) fs::create_directories(saveFrames);

  char tmpl[] = "/tmp/wms-bench-decode-XXXXXX";
  if (!mkdtemp(tmpl)) {
    std::perror("mkdtemp");
    return 1;
  }
  const fs::path tmp = tmpl;
  fs::create_directories(tmp / "frames");

  Decoder decoder;
  ZbarScanner zbar;
  std::ostringstream formatsJson, streamsJson;
  Stats allOurs, allPlain, allZbar;
  StreamStats allStreamOurs, allStreamPlain, allStreamZbar;
  bool higherEverywhere = true, withinTimeEverywhere = true, atLeast85Everywhere = true;
  double worstRatio = 0;
  int rssSaved = 0;
  bool firstFormat = true;

  // A symbol of `spec` with random content, drawn by zint, and the text ZXing
  // reads from the clean image; empty if zint refused the content or ZXing
  // cannot read the clean symbol.
  auto makeSymbol = [&](const FormatSpec& spec, Rng& rng, std::string& expected) -> GreyImage {
    const fs::path symbolFile = tmp / "symbol.png";
    std::vector<std::string> args{"zint", "--quietzones", "--scale=1", "-o", symbolFile.string()};
    for (auto& a : spec.zintArgs(rng)) args.push_back(a);
    if (runProcess(args) != 0) return {};
    GreyImage symbol = load(symbolFile);
    if (symbol.pixels.empty()) return {};
    zx::Result clean = zx::ReadBarcode(
        zx::ImageView(symbol.pixels.data(), symbol.width, symbol.height, zx::ImageFormat::Lum),
        zx::DecodeHints().setFormats(spec.zxFormat));
    if (!clean.isValid()) return {};
    expected = clean.text();
    return symbol;
  };
  std::string oursRead;  // what the last frame gave ours, for the failure report
  auto oursOn = [&](const FormatSpec& spec, const GreyImage& img, const std::string& expected) {
    oursRead.clear();
    auto f = Frame::fromPixels(img.width, img.height, img.pixels).value();
    auto t0 = std::chrono::steady_clock::now();
    auto r = decoder.decode(f, formatsFor(spec.step), 1);
    Sample s;
    s.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!r) {
      s.aborted = true;
    } else {
      s.ok = std::any_of(r->barcodes.begin(), r->barcodes.end(),
                         [&](const Barcode& b) { return b.format == spec.format && b.text == expected; });
      s.wrong = std::any_of(r->barcodes.begin(), r->barcodes.end(),
                            [&](const Barcode& b) { return b.format == spec.format && b.text != expected; });
      oursRead.clear();
      for (const Barcode& b : r->barcodes)
        oursRead += std::string(oursRead.empty() ? "" : ", ") + b.text + " (pass " + r->pass + ")";
    }
    return s;
  };

  for (std::size_t fi = 0; fi < specs().size(); ++fi) {
    const FormatSpec& spec = specs()[fi];
    if (!only.empty() && only.find("," + std::string(spec.name) + ",") == std::string::npos) continue;
    Rng rng(seed + 7919 * fi);
    Stats ours, plain, zb;
    int skipped = 0, zbarClean = 0;
    for (int i = 0; i < framesPerFormat; ++i) {
      std::string expected;
      GreyImage symbol = makeSymbol(spec, rng, expected);
      const std::uint64_t frameSeed = rng();
      if (symbol.pixels.empty()) {
        ++skipped;
        continue;
      }
      // zbar on the clean symbol: shows that its reads are compared right.
      if (spec.zbarType != Zs::Other && zbarRead(spec, zbar.scan(symbol), expected)) ++zbarClean;
      wms::bench::CameraFrame frame = wms::bench::makeCameraFrame(symbol, spec.matrix, frameSeed);
      if (rssSaved < rssFrames * static_cast<int>(fi + 1)) {
        const auto name =
            (tmp / "frames" / (std::string(spec.name) + "-" + std::to_string(i) + ".png")).string();
        stbi_write_png(name.c_str(), frame.image.width, frame.image.height, 1, frame.image.pixels.data(),
                       frame.image.width);
        ++rssSaved;
      }

      if (!saveFrames.empty()) {
        const fs::path name = saveFrames / (std::string(spec.name) + "-" + std::to_string(i) + ".png");
        stbi_write_png(name.c_str(), frame.image.width, frame.image.height, 1, frame.image.pixels.data(),
                       frame.image.width);
        writeExpected(fs::path(name).replace_extension(".txt"), expected, frame.distortion);
      }
      // Rotate the order so that no side always runs on a warm cache.
      Sample o, p, z;
      auto runZbar = [&] {
        return spec.zbarType == Zs::Other ? Sample{} : timedZbar(zbar, spec, frame.image, expected);
      };
      switch (i % 3) {
        case 0:
          p = plainZxing(frame.image, spec.zxFormat, expected), o = oursOn(spec, frame.image, expected),
          z = runZbar();
          break;
        case 1:
          o = oursOn(spec, frame.image, expected), z = runZbar(),
          p = plainZxing(frame.image, spec.zxFormat, expected);
          break;
        default:
          z = runZbar(), p = plainZxing(frame.image, spec.zxFormat, expected),
          o = oursOn(spec, frame.image, expected);
      }
      const int band = blurBand(frame.distortion);
      ours.add(o, band);
      plain.add(p, band);
      if (spec.zbarType != Zs::Other) zb.add(z, band);
      if (logFrames)
        std::cerr << "  frame " << spec.name << "-" << i << ": " << wms::bench::describe(frame.distortion)
                  << "; ours " << o.ok << " plain " << p.ok << " zbar " << z.ok << "\n";
      if (!o.ok && !saveFailures.empty()) {
        const auto name =
            (saveFailures / (std::string(spec.name) + "-" + std::to_string(i) + ".png")).string();
        stbi_write_png(name.c_str(), frame.image.width, frame.image.height, 1, frame.image.pixels.data(),
                       frame.image.width);
        writeExpected(fs::path(name).replace_extension(".txt"), expected, frame.distortion);
        std::cerr << "  missed " << name << ": " << wms::bench::describe(frame.distortion)
                  << (p.ok ? "; plain read it" : "") << (z.ok ? "; zbar read it" : "")
                  << (oursRead.empty() ? "" : "; ours read " + oursRead + " instead of " + expected) << "\n";
      }
    }
    const double ratio = plain.mean() > 0 ? ours.mean() / plain.mean() : 0;
    higherEverywhere = higherEverywhere && ours.rate() > plain.rate();
    withinTimeEverywhere = withinTimeEverywhere && ratio <= 1.2;
    atLeast85Everywhere = atLeast85Everywhere && ours.rate() >= 0.85;
    worstRatio = std::max(worstRatio, ratio);
    for (auto [all, one] :
         {std::pair{&allOurs, &ours}, std::pair{&allPlain, &plain}, std::pair{&allZbar, &zb}}) {
      for (double v : one->ms) all->ms.push_back(v);
      all->frames += one->frames, all->decoded += one->decoded, all->failures += one->failures;
      all->misreads += one->misreads;
      for (int b = 0; b < 3; ++b)
        all->bandFrames[b] += one->bandFrames[b], all->bandDecoded[b] += one->bandDecoded[b];
    }
    std::cerr << spec.name << ": ours " << ours.decoded << "/" << ours.frames << " (" << ours.misreads
              << " misread) in " << num(ours.mean(), 1) << " ms, plain " << plain.decoded << "/"
              << plain.frames << " in " << num(plain.mean(), 1) << " ms (" << plain.failures
              << " aborts), zbar " << zb.decoded << "/" << zb.frames << " in " << num(zb.mean(), 1)
              << " ms\n";
    formatsJson << (firstFormat ? "" : ",") << "{\"format\":\"" << spec.name << "\",\"step\":\""
                << toString(spec.step) << "\",\"frames\":" << ours.frames << ",\"skipped\":" << skipped
                << ",\"ours\":" << statsJson(ours, "errors") << ",\"plain\":" << statsJson(plain, "aborts")
                << ",\"zbar\":"
                << (spec.zbarType == Zs::Other
                        ? std::string("null")
                        : statsJson(zb, "errors") + ",\"zbar_clean_reads\":" + std::to_string(zbarClean))
                << ",\"time_ratio\":" << num(ratio) << "}";

    // Streams: the same symbology moving into view.
    StreamStats sOurs, sPlain, sZbar;
    Rng streamRng(seed + 104729 * (fi + 1));
    for (int n = 0; n < streamsPerFormat; ++n) {
      std::string expected;
      GreyImage symbol = makeSymbol(spec, streamRng, expected);
      const std::uint64_t streamSeed = streamRng();
      if (symbol.pixels.empty()) continue;
      wms::bench::SymbolStream stream(symbol, spec.matrix, streamSeed, streamFrames);
      std::map<int, GreyImage> made;
      auto frameAt = [&](int k) -> const GreyImage& {
        auto it = made.find(k);
        if (it == made.end()) it = made.emplace(k, stream.frame(k).image).first;
        return it->second;
      };
      sOurs.add(timeToFirstRead(streamFrames, frameAt,
                                [&](const GreyImage& img) { return oursOn(spec, img, expected); }));
      sPlain.add(timeToFirstRead(streamFrames, frameAt, [&](const GreyImage& img) {
        return plainZxing(img, spec.zxFormat, expected);
      }));
      if (spec.zbarType != Zs::Other)
        sZbar.add(timeToFirstRead(streamFrames, frameAt, [&](const GreyImage& img) {
          return timedZbar(zbar, spec, img, expected);
        }));
    }
    if (streamsPerFormat > 0) {
      for (auto [all, one] : {std::pair{&allStreamOurs, &sOurs}, std::pair{&allStreamPlain, &sPlain},
                              std::pair{&allStreamZbar, &sZbar}}) {
        all->streams += one->streams;
        for (double v : one->ms) all->ms.push_back(v);
      }
      auto p = [](const StreamStats& st, double q) {
        auto v = st.percentile(q);
        return v ? num(*v, 0) : std::string("-");
      };
      std::cerr << "  streams: ours " << sOurs.ms.size() << "/" << sOurs.streams << " p50 " << p(sOurs, 0.5)
                << " p95 " << p(sOurs, 0.95) << " ms, plain " << sPlain.ms.size() << " p50 " << p(sPlain, 0.5)
                << " p95 " << p(sPlain, 0.95) << " ms, zbar " << sZbar.ms.size() << " p50 " << p(sZbar, 0.5)
                << " p95 " << p(sZbar, 0.95) << " ms\n";
      streamsJson << (firstFormat ? "" : ",") << "{\"format\":\"" << spec.name
                  << "\",\"streams\":" << sOurs.streams << ",\"ours\":" << streamJson(sOurs)
                  << ",\"plain\":" << streamJson(sPlain)
                  << ",\"zbar\":" << (spec.zbarType == Zs::Other ? std::string("null") : streamJson(sZbar))
                  << "}";
    }
    firstFormat = false;
  }

  std::cerr << "memory: wms-handheld --decode over " << rssSaved << " frames\n";
  Memory mem = measureHandheld(handheld, tmp / "frames", tmp / "decode.jsonl");
  std::error_code ec;
  fs::remove_all(tmp, ec);

  const double allRatio = allPlain.mean() > 0 ? allOurs.mean() / allPlain.mean() : 0;
  std::cout << "{\"bench\":\"decode\",\"frame\":\"1280x720\",\"frames_per_format\":" << framesPerFormat
            << ",\"seed\":" << seed
            << ",\"baseline\":\"ZXing::ReadBarcode(image) with default hints, forked per frame\""
            << ",\"baseline2\":\"zbar_scan_image, every symbology zbar has except ISBN, its default density\""
            << ",\"formats\":[" << formatsJson.str() << "]"
            << ",\"all\":{\"ours\":" << statsJson(allOurs, "errors")
            << ",\"plain\":" << statsJson(allPlain, "aborts") << ",\"zbar\":" << statsJson(allZbar, "errors")
            << ",\"time_ratio\":" << num(allRatio) << "}"
            << ",\"targets\":{\"higher_rate_every_format\":" << (higherEverywhere ? "true" : "false")
            << ",\"at_least_85_every_format\":" << (atLeast85Everywhere ? "true" : "false")
            << ",\"worst_time_ratio\":" << num(worstRatio)
            << ",\"within_1_2x_every_format\":" << (withinTimeEverywhere ? "true" : "false") << "}"
            << ",\"stream\":{\"fps\":30,\"frames_per_stream\":" << streamFrames
            << ",\"streams_per_format\":" << streamsPerFormat
            << ",\"measure\":\"ms from the first frame to the end of the first decode that read the symbol\""
            << ",\"formats\":[" << streamsJson.str() << "],\"all\":{\"streams\":" << allStreamOurs.streams
            << ",\"ours\":" << streamJson(allStreamOurs) << ",\"plain\":" << streamJson(allStreamPlain)
            << ",\"zbar\":" << streamJson(allStreamZbar) << "}}"
            << ",\"memory\":{\"command\":\"wms-handheld --decode --max 1 FOLDER\",\"frames\":" << rssSaved
            << ",\"exit_code\":" << mem.exitCode << ",\"handheld_peak_rss_kb\":" << mem.handheldPeakKb
            << ",\"worker_peak_rss_kb\":" << mem.workerPeakKb << ",\"peak_pss_total_kb\":" << mem.pssPeakKb
            << ",\"under_30_mb\":"
            << ((mem.handheldPeakKb > 0 && mem.handheldPeakKb < 30 * 1024) ? "true" : "false") << "}}"
            << std::endl;
  return 0;
}
