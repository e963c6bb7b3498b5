// wms-label: render a shipping label or location labels, write them to a
// file and/or print them. A thin shell over wms::labels; see docs/labels.md.
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "wms/labels/Drawing.h"
#include "wms/labels/Label.h"
#include "wms/labels/LocationLabels.h"
#include "wms/labels/PrintSpooler.h"
#include "wms/labels/Printer.h"
#include "wms/labels/Render.h"
#include "wms/labels/Template.h"
#include "wms/labels/Zpl.h"

namespace {

using namespace wms::labels;

constexpr const char* kUsage =
    "usage: wms-label --in LABEL.json --format zpl|png|pdf [--size 4x6|4x4|a6] [--dpi 203|300]\n"
    "                 [--out FILE] [--print URI] [--copies N] [--attempts N]\n"
    "       wms-label --locations FILE --format zpl|pdf [--caption TEXT] [--dpi 203|300]\n"
    "                 [--out FILE] [--print URI] [--copies N] [--attempts N]\n"
    "  --in FILE        shipping label as JSON (schema: docs/labels.md)\n"
    "  --locations FILE location, bin or tote codes, one per line ('#' starts a comment)\n"
    "  --out FILE       write the result to FILE ('-' for standard output)\n"
    "  --print URI      send it to a printer: tcp://HOST[:9100], tcp+status://HOST[:9100],\n"
    "                   cups:QUEUE or cups://SERVER[:PORT]/QUEUE\n"
    "  --copies N       zpl only: the printer prints each label N times (^PQ, 1-99)\n"
    "  --caption TEXT   printed above each location code (\"LOCATION\", \"TOTE\")\n"
    "  --attempts N     print attempts before giving up (default 5, waits 1 s, 2 s, 4 s... between)\n"
    "At least one of --out and --print is required. Errors: one line on stderr, exit status 2.\n";

constexpr std::size_t kMaxInputBytes = 1024 * 1024;

struct Args {
  std::string in, locations, format, size = "4x6", dpi = "203", out, print, caption;
  int copies = 1;
  int attempts = 5;
  bool sizeGiven = false, copiesGiven = false, captionGiven = false;
};

struct Failure {
  std::string message;
};

[[noreturn]] void fail(const std::string& message) {
  throw Failure{message};
}

int toInt(const std::string& flag, const std::string& value, int lo, int hi) {
  try {
    std::size_t used = 0;
    const int n = std::stoi(value, &used);
    if (used == value.size() && n >= lo && n <= hi) return n;
  } catch (const std::exception&) {
  }
  fail(flag + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
       ", got \"" + value + "\"");
}

Args parseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (i + 1 >= argc) fail("missing value after " + flag);
    const std::string value = argv[++i];
    if (flag == "--in")
      a.in = value;
    else if (flag == "--locations")
      a.locations = value;
    else if (flag == "--format")
      a.format = value;
    else if (flag == "--size")
      a.size = value, a.sizeGiven = true;
    else if (flag == "--dpi")
      a.dpi = value;
    else if (flag == "--out")
      a.out = value;
    else if (flag == "--print")
      a.print = value;
    else if (flag == "--caption")
      a.caption = value, a.captionGiven = true;
    else if (flag == "--copies")
      a.copies = toInt(flag, value, 1, 99), a.copiesGiven = true;
    else if (flag == "--attempts")
      a.attempts = toInt(flag, value, 1, 100);
    else
      fail("unknown option " + flag + " (see --help)");
  }
  if (a.in.empty() == a.locations.empty()) fail("give exactly one of --in and --locations (see --help)");
  if (a.format.empty()) fail("--format is required: zpl, png or pdf");
  if (a.format != "zpl" && a.format != "png" && a.format != "pdf") {
    fail("--format must be zpl, png or pdf, got \"" + a.format + "\"");
  }
  if (!a.locations.empty() && a.format == "png") fail("location labels come as zpl or pdf, not png");
  if (!a.locations.empty() && a.sizeGiven)
    fail("--size applies to shipping labels (--in), not to --locations");
  if (!a.in.empty() && a.captionGiven) fail("--caption applies to --locations only");
  if (a.copiesGiven && a.format != "zpl")
    fail("--copies applies to zpl only (the printer repeats the label)");
  if (a.out.empty() && a.print.empty()) fail("nothing to do: give --out FILE and/or --print URI");
  return a;
}

std::string readInput(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) fail("cannot read " + path + ": no such file or not readable");
  std::string data(kMaxInputBytes + 1, '\0');
  file.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<std::size_t>(file.gcount()));
  if (data.size() > kMaxInputBytes) fail(path + " is larger than 1 MiB");
  return data;
}

std::vector<std::string> readCodes(const std::string& path) {
  std::istringstream lines(readInput(path));
  std::vector<std::string> codes;
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.pop_back();
    std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    line = line.substr(start);
    if (auto s = validateLocationCode(line); !s)
      fail(path + " line " + std::to_string(number) + ": " + s.error().message);
    codes.push_back(line);
  }
  if (codes.empty()) fail(path + " holds no location codes");
  return codes;
}

template <class T>
T orFail(wms::Result<T> result, const std::string& context = {}) {
  if (!result) fail(context.empty() ? result.error().message : context + ": " + result.error().message);
  return std::move(result).value();
}

void writeOutput(const std::string& path, const std::string& data) {
  if (path == "-") {
    std::cout.write(data.data(), static_cast<std::streamsize>(data.size()));
    std::cout.flush();
    if (!std::cout) fail("cannot write to standard output");
    return;
  }
  // Written beside the target and renamed, so a failure never leaves half a file.
  const std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file.write(data.data(), static_cast<std::streamsize>(data.size()));
    file.close();
    if (!file) {
      std::remove(temporary.c_str());
      fail("cannot write " + path);
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::remove(temporary.c_str());
    fail("cannot write " + path + ": " + ec.message());
  }
}

void print(const Args& a, const std::string& title, DocumentFormat format, const std::string& data) {
  auto printer = orFail(makePrinter(a.print));
  InMemoryJobLog log;
  std::promise<JobEvent> done;
  RetryPolicy policy;
  policy.maxAttempts = a.attempts;
  policy.initialBackoff = std::chrono::seconds(1);
  policy.maxBackoff = std::chrono::seconds(30);
  PrintSpooler spooler(*printer, log, policy, [&](const JobEvent& e) {
    if (e.state == JobState::Waiting) {
      std::cerr << "wms-label: waiting for the printer: " << e.error << "; attempt " << e.attempt + 1
                << " of " << e.maxAttempts << " in " << e.retryIn.count() / 1000.0 << " s\n";
    } else {
      done.set_value(e);
    }
  });
  orFail(spooler.submit(PrintDocument{title, format, data}));
  const JobEvent result = done.get_future().get();
  if (result.state != JobState::Printed) {
    fail("printing failed after " + std::to_string(result.attempt) + " attempt(s): " + result.error);
  }
}

void run(const Args& a) {
  const Dpi dpi = orFail(parseDpi(a.dpi));
  std::string data;
  std::string title;
  if (!a.in.empty()) {
    const LabelSize size = orFail(parseLabelSize(a.size));
    const ShippingLabel label = orFail(parseLabelJson(readInput(a.in)), a.in);
    const Template tmpl = makeTemplate(size, dpi);
    title = label.orderReference + " carton " + std::to_string(label.cartonNumber) + "/" +
            std::to_string(label.cartonCount);
    if (a.format == "zpl") {
      ZplOptions options;
      options.copies = a.copies;
      data = orFail(renderZpl(label, tmpl, options));
    } else if (a.format == "png") {
      data = orFail(renderPng(label, tmpl));
    } else {
      data = orFail(renderPdf(label, tmpl));
    }
  } else {
    const std::vector<std::string> codes = readCodes(a.locations);
    title = "location labels (" + std::to_string(codes.size()) + ")";
    if (a.format == "zpl") {
      LocationLabelOptions options;
      options.dpi = dpi;
      options.caption = a.caption;
      ZplOptions zpl;
      zpl.copies = a.copies;
      data = orFail(drawingsToZpl(orFail(layoutLocationLabels(codes, options)), zpl));
    } else {
      SheetOptions options;
      options.dpi = dpi;
      options.caption = a.caption;
      data = orFail(drawingsToPdf(orFail(layoutLocationSheets(codes, options))));
    }
  }
  if (!a.out.empty()) writeOutput(a.out, data);
  if (!a.print.empty()) {
    const DocumentFormat format = a.format == "zpl"   ? DocumentFormat::Zpl
                                  : a.format == "pdf" ? DocumentFormat::Pdf
                                                      : DocumentFormat::Png;
    print(a, title, format, data);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  try {
    run(parseArgs(argc, argv));
    return 0;
  } catch (const Failure& f) {
    std::cerr << "wms-label: " << f.message << "\n";
  } catch (const std::exception& e) {
    std::cerr << "wms-label: internal error: " << e.what() << "\n";
  }
  return 2;
}
