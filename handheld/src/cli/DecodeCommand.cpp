#include "wms/handheld/DecodeCommand.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <ostream>
#include <sstream>

#include "wms/handheld/Decoder.h"
#include "wms/handheld/Gs1.h"
#include "wms/handheld/ImageFile.h"

namespace wms::handheld {
namespace {

// JSON string literal; control characters (GS in GS1 data) as \u00XX.
std::string json(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", u);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

struct Options {
  FormatSet formats = FormatSet::all();
  int maxSymbols = 8;
  std::chrono::milliseconds timeout{5000};
  std::vector<std::filesystem::path> files;
};

bool parseInt(const std::string& s, int lo, int hi, int& out) {
  try {
    std::size_t used = 0;
    int v = std::stoi(s, &used);
    if (used != s.size() || v < lo || v > hi) return false;
    out = v;
    return true;
  } catch (...) {
    return false;
  }
}

// Returns an error message, or empty on success.
std::string parseArgs(const std::vector<std::string>& args, Options& o) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& v) {
      if (i + 1 >= args.size()) return false;
      v = args[++i];
      return true;
    };
    std::string v;
    if (a == "--target") {
      if (!value(v)) return "--target needs a value";
      if (v == "location")
        o.formats = formatsFor(ScanTarget::Location);
      else if (v == "item")
        o.formats = formatsFor(ScanTarget::Item);
      else if (v == "tote")
        o.formats = formatsFor(ScanTarget::Tote);
      else
        return "--target must be location, item or tote, not '" + v + "'";
    } else if (a == "--formats") {
      if (!value(v)) return "--formats needs a value";
      FormatSet set;
      std::stringstream ss(v);
      for (std::string name; std::getline(ss, name, ',');) {
        auto f = formatFromName(name);
        if (!f) return "unknown format '" + name + "' (known: " + FormatSet::all().toString() + ")";
        set.add(*f);
      }
      if (set.empty()) return "--formats is empty";
      o.formats = set;
    } else if (a == "--max") {
      int n = 0;
      if (!value(v) || !parseInt(v, 1, 255, n)) return "--max needs a number 1-255";
      o.maxSymbols = n;
    } else if (a == "--timeout") {
      int n = 0;
      if (!value(v) || !parseInt(v, 1, 600000, n)) return "--timeout needs milliseconds 1-600000";
      o.timeout = std::chrono::milliseconds(n);
    } else if (a.size() > 1 && a[0] == '-' && a != "-") {
      return "unknown option '" + a + "'";
    } else {
      o.files.emplace_back(a);
    }
  }
  if (o.files.empty()) return "no image files given";
  return {};
}

int currentYear() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return tm.tm_year + 1900;
}

void printError(std::ostream& out, const std::string& file, const std::string& message) {
  out << "{\"file\":" << json(file) << ",\"error\":" << json(message) << "}\n";
}

}  // namespace

std::string decodeCommandUsage() {
  return "usage: wms-handheld --decode [--target location|item|tote | --formats NAME,...] [--max N]\n"
         "                            [--timeout MS] FILE|FOLDER...\n"
         "Decodes PNG/JPEG/PGM images and prints one JSON line per barcode found.\n"
         "Formats: " +
         FormatSet::all().toString() + "\n";
}

int runDecodeCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Options o;
  if (std::string problem = parseArgs(args, o); !problem.empty()) {
    err << "wms-handheld --decode: " << problem << "\n" << decodeCommandUsage();
    return 2;
  }
  DecoderOptions decoderOptions;
  decoderOptions.timeout = o.timeout;
  Decoder decoder(decoderOptions);
  Gs1ParseOptions gs1Options{currentYear()};

  for (const auto& arg : o.files) {
    std::vector<std::filesystem::path> files{arg};
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      auto listed = listImageFiles(arg);
      if (!listed) {
        printError(out, arg.string(), listed.error().message);
        continue;
      }
      files = std::move(listed).value();
    }
    for (const auto& file : files) {
      auto frame = loadImageFile(file);
      if (!frame) {
        printError(out, file.string(), frame.error().message);
        continue;
      }
      auto result = decoder.decode(*frame, o.formats, o.maxSymbols);
      if (!result) {
        printError(out, file.string(), result.error().message);
        continue;
      }
      for (const auto& b : result->barcodes) {
        out << "{\"file\":" << json(file.string()) << ",\"format\":" << json(formatName(b.format))
            << ",\"text\":" << json(b.text) << ",\"symbology\":" << json(b.symbology);
        if (b.isGs1()) {
          auto gs1 = parseGs1(b, gs1Options);
          if (gs1) {
            out << ",\"gs1\":{";
            bool first = true;
            for (const auto& e : gs1->elements()) {
              out << (first ? "" : ",") << json(e.ai) << ":" << json(e.value);
              first = false;
            }
            out << "}";
          } else {
            out << ",\"gs1_error\":" << json(gs1.error().message);
          }
        }
        out << ",\"ms\":" << number(result->milliseconds) << ",\"pass\":" << json(result->pass)
            << ",\"corners\":[";
        for (std::size_t i = 0; i < b.corners.size(); ++i) out << (i ? "," : "") << b.corners[i];
        out << "]}\n";
      }
      out.flush();
    }
  }
  return 0;
}

}  // namespace wms::handheld
