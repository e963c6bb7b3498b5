// wmsd: the warehouse server. A thin POCO ServerApplication over
// wms::server::Server: it reads the config, sets up logging, starts the
// server and stops it cleanly on SIGTERM or SIGINT.
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <iostream>

#include "wms/server/Config.h"
#include "wms/server/Server.h"

namespace {

class Wmsd final : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override {
    ServerApplication::defineOptions(options);
    options.addOption(Poco::Util::Option("help", "h", "print this help and exit").required(false).repeatable(false));
    options.addOption(Poco::Util::Option("config", "c", "read settings from FILE (see server/wmsd.properties)")
                          .required(false)
                          .repeatable(false)
                          .argument("FILE"));
    options.addOption(Poco::Util::Option("set", "s", "override one setting, e.g. --set http.port=0")
                          .required(false)
                          .repeatable(true)
                          .argument("KEY=VALUE"));
    options.addOption(Poco::Util::Option("issue-token", "",
                                         "make or update integration account LOGIN with ROLES (e.g. "
                                         "pos-1:integration), print a new API token for it once, and exit")
                          .required(false)
                          .repeatable(false)
                          .argument("LOGIN:ROLES"));
    options.addOption(Poco::Util::Option("token-days", "", "how long --issue-token's token lasts (default 30)")
                          .required(false)
                          .repeatable(false)
                          .argument("DAYS"));
  }

  void handleOption(const std::string& name, const std::string& value) override {
    ServerApplication::handleOption(name, value);
    if (name == "help") {
      Poco::Util::HelpFormatter help(options());
      help.setCommand(commandName());
      help.setUsage("[--config FILE] [--set KEY=VALUE]...");
      help.setHeader("The warehouse server: HTTP API, store, MQTT gateway.");
      help.format(std::cout);
      helpRequested_ = true;
      stopOptionsProcessing();
    } else if (name == "config") {
      configFile_ = value;
    } else if (name == "issue-token") {
      issueToken_ = value;
    } else if (name == "token-days") {
      try {
        tokenDays_ = std::stoi(value);
      } catch (const std::exception&) {
        badOption_ = "--token-days needs a whole number of days, got '" + value + "'";
      }
    } else if (name == "set") {
      auto eq = value.find('=');
      if (eq == std::string::npos) {
        badOption_ = "--set needs KEY=VALUE, got '" + value + "'";
        return;
      }
      overrides_[value.substr(0, eq)] = value.substr(eq + 1);
    }
  }

  int main(const std::vector<std::string>&) override {
    if (helpRequested_) return EXIT_OK;
    if (!badOption_.empty()) {
      std::cerr << "wmsd: " << badOption_ << "\n";
      return EXIT_USAGE;
    }
    std::map<std::string, std::string> props;
    if (!configFile_.empty()) {
      auto file = wms::server::readPropertiesFile(configFile_);
      if (!file) {
        std::cerr << "wmsd: " << file.error().message << "\n";
        return EXIT_CONFIG;
      }
      props = *file;
    }
    for (const auto& [k, v] : overrides_) props[k] = v;
    auto config = wms::server::configFromProperties(props);
    if (!config) {
      std::cerr << "wmsd: " << config.error().message << "\n";
      return EXIT_CONFIG;
    }
    if (!issueToken_.empty()) {
      // One line on stdout, the token, for a script to take; nothing else there.
      auto token = wms::server::Server::issueToken(*config, issueToken_, tokenDays_);
      if (!token) {
        std::cerr << "wmsd: --issue-token: " << token.error().message << "\n";
        return EXIT_CONFIG;
      }
      std::cout << *token << "\n";
      return EXIT_OK;
    }
    setUpLogging(*config);

    auto server = wms::server::Server::start(*config);
    if (!server) {
      Poco::Logger::get("wmsd").fatal("cannot start: %s", server.error().message);
      // Logging to a file: whoever started wmsd sees why it stopped too.
      if (!config->logFile.empty()) std::cerr << "wmsd: cannot start: " << server.error().message << "\n";
      return EXIT_UNAVAILABLE;
    }
    waitForTerminationRequest();  // SIGINT or SIGTERM
    Poco::Logger::get("wmsd").information("termination requested");
    (*server)->stop();
    return EXIT_OK;
  }

 private:
  void setUpLogging(const wms::server::ServerConfig& config) {
    Poco::AutoPtr<Poco::Channel> sink;
    if (config.logFile.empty()) {
      sink = new Poco::ConsoleChannel;
    } else {
      auto* file = new Poco::FileChannel(config.logFile.string());
      file->setProperty("rotation", "50 M");
      file->setProperty("archive", "timestamp");
      file->setProperty("purgeCount", "5");
      sink = file;
    }
    Poco::AutoPtr<Poco::PatternFormatter> format(new Poco::PatternFormatter("%Y-%m-%d %H:%M:%S.%i %p %s: %t"));
    Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(format, sink));
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::root().setLevel(config.logLevel);
    // Loggers created before this point (none but POCO's own) follow the root.
    Poco::Logger::setLevel("", Poco::Logger::parseLevel(config.logLevel));
  }

  bool helpRequested_ = false;
  std::string configFile_;
  std::string badOption_;
  std::string issueToken_;
  int tokenDays_ = 30;
  std::map<std::string, std::string> overrides_;
};

}  // namespace

POCO_SERVER_MAIN(Wmsd)
