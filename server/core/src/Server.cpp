#include "wms/server/Server.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServer.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "InboundWiring.h"
#include "PackingWiring.h"
#include "http/ApiV1.h"
#include "http/ChangeRoutes.h"
#include "http/ChannelRoutes.h"
#include "http/Connections.h"
#include "http/WaveRoutes.h"
#include "http/HandlerFactory.h"
#include "http/TlsContext.h"
#include "wms/channels/ChannelHub.h"
#include "wms/server/CatalogService.h"
#include "wms/server/ChangeFeed.h"
#include "wms/server/DeviceGateway.h"
#include "wms/server/OrderService.h"
#include "wms/stock/Events.h"
#include "wms/stock/OrderIntake.h"
#include "wms/server/StockService.h"
#include "wms/server/WaveService.h"
#include "wms/server/Watchdog.h"
#include "wms/packing/PackSession.h"
#include "wms/packing/PackingConfig.h"
#include "wms/packing/Rest.h"
#include "wms/packing/Schema.h"
#include "wms/inbound/Receiving.h"
#include "wms/inbound/Rest.h"
#include "wms/inbound/Schema.h"
#include "wms/identity/AccessTable.h"
#include "wms/identity/Gate.h"
#include "wms/identity/Identity.h"
#include "wms/identity/Rest.h"
#include "wms/identity/Schema.h"

namespace wms::server {

struct Server::Impl {
  // Constant after start(); destroyed in reverse order, so the HTTP server
  // (last) stops before the services and the database it uses.
  ServerConfig config;
  Metrics metrics;
  // What changed, for the dashboard's live board: filled by the database's
  // commit hook, so it outlives the database.
  ChangeFeed feed;
  std::unique_ptr<store::Database> db;
  stock::StockEvents events;  // the stock-changed hook; the channels' outbox subscribes
  std::unique_ptr<stock::OrderIntake> intake;
  std::unique_ptr<CatalogService> catalog;
  std::unique_ptr<StockService> stock;
  std::unique_ptr<OrderService> orders;
  std::unique_ptr<channels::ChannelHub> channels;
  LocationFreezes freezes;  // shelves being counted; outlives the gateway's handlers
  std::unique_ptr<DeviceGateway> gateway;
  std::unique_ptr<WaveService> waves;
  std::unique_ptr<ShipmentStockEvents> shipmentEvents;
  std::unique_ptr<packing::ShippingService> shipping;
  std::unique_ptr<packing::PackSessionService> packSessions;
  std::unique_ptr<packing::StationScans> stationScans;
  std::unique_ptr<packing::LabelPrinting> printing;
  std::unique_ptr<inbound::ReceivingService> receiving;
  std::unique_ptr<inbound::PutawayService> putaway;
  std::unique_ptr<inbound::ReplenishmentService> replenishment;
  std::unique_ptr<inbound::CountService> counts;
  std::unique_ptr<inbound::SlottingService> slotting;
  std::unique_ptr<Watchdog> watchdog;
  std::unique_ptr<identity::IdentityService> identity;
  std::unique_ptr<identity::Gate> gate;
  std::unique_ptr<http::ApiContext> api;
  http::Router router;
  // The HTTP server's connections and their limits; outlives `http`.
  std::unique_ptr<http::ConnectionRegistry> connections;
  std::atomic<Poco::Net::TCPServer*> httpServer{nullptr};  // for the registry's "others waiting"
  std::unique_ptr<Poco::Net::TCPServer> http;
  std::uint16_t port = 0;
  bool stopped = false;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

namespace {

// Writes the first admin's password where only this user can read it, once:
// created here with mode 0600 (an existing file is replaced, not reused, so
// that no other owner's or mode's file is ever written into).
Status writeSecretFile(const std::filesystem::path& file, const std::string& secret) {
  std::error_code ec;
  std::filesystem::remove(file, ec);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Error{ErrorKind::Unavailable, "cannot write " + file.string() + ": " + std::strerror(errno)};
  const std::string text = secret + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) return Error{ErrorKind::Unavailable, "cannot write " + file.string()};
  return {};
}

// The first start: an admin with the password from WMS_ADMIN_PASSWORD, or a
// random one written to the admin password file. No default password.
Status ensureAdmin(identity::IdentityService& ids, const identity::IdentitySettings& settings,
                   const ServerConfig& config) {
  auto& log = Poco::Logger::get("wmsd");
  const char* fromEnv = std::getenv("WMS_ADMIN_PASSWORD");
  std::optional<std::string> given;
  if (fromEnv && *fromEnv) {
    if (auto st = identity::checkPassword(fromEnv); !st) return Error{ErrorKind::Invalid, "WMS_ADMIN_PASSWORD: " + st.error().message};
    given = fromEnv;
  }
  auto made = ids.ensureAdmin(given);
  if (!made) return made.error();
  if (!*made) return {};
  if (given) {
    log.notice("first start: made account 'admin' with the password from WMS_ADMIN_PASSWORD");
    return {};
  }
  const std::filesystem::path file = settings.adminPasswordFile.empty()
                                         ? std::filesystem::absolute(config.storePath).parent_path() / "admin-password"
                                         : std::filesystem::path(settings.adminPasswordFile);
  if (auto st = writeSecretFile(file, **made); !st) return st.error();
  log.notice("first start: made account 'admin'; its password is in %s (readable by this user only)", file.string());
  return {};
}

}  // namespace

Result<std::string> Server::issueToken(const ServerConfig& config, const std::string& loginAndRoles, int days) {
  const auto colon = loginAndRoles.find(':');
  if (colon == std::string::npos) return Error{ErrorKind::Invalid, "--issue-token needs LOGIN:ROLES, e.g. pos-1:integration"};
  const std::string login = loginAndRoles.substr(0, colon);
  if (auto st = identity::checkLogin(login); !st) return st.error();
  auto roles = identity::parseRoles(loginAndRoles.substr(colon + 1));
  if (!roles) return roles.error();
  auto settings = identity::identitySettingsFrom(config.raw);
  if (!settings) return settings.error();
  store::DatabaseOptions dbo;
  dbo.path = config.storePath;
  dbo.durability = config.durability;
  dbo.busyTimeoutMs = config.busyTimeoutMs;
  dbo.readConnections = 1;
  dbo.schemas.push_back(identity::identitySchema());
  auto db = store::Database::open(dbo);
  if (!db) return db.error();
  identity::IdentityService ids(**db, settings->config);
  auto issued = ids.issueIntegrationToken(login, *roles, days);
  if (!issued) return issued.error();
  return issued->secret;
}

Server::~Server() { stop(); }

Result<std::unique_ptr<Server>> Server::start(const ServerConfig& config) {
  auto& log = Poco::Logger::get("wmsd");
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  // First of all: a certificate or key that cannot be used stops wmsd before
  // it opens its database or reaches the broker.
  Poco::Net::Context::Ptr tls;
  if (config.tlsOn) {
    auto context = http::makeServerTlsContext(config);
    if (!context) return context.error();
    tls = *context;
  }

  store::DatabaseOptions dbo;
  dbo.path = config.storePath;
  dbo.durability = config.durability;
  dbo.busyTimeoutMs = config.busyTimeoutMs;
  dbo.maxBatch = config.maxBatch;
  // Every commit tells the feed what it wrote (the board updates within a
  // second of a pick instead of polling).
  dbo.onCommit = [feed = &impl->feed](const std::vector<std::string>& tables) {
    feed->committed(tables, std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count());
  };
  auto channelsConfig = channels::channelsConfigFrom(config.raw);
  if (!channelsConfig) return channelsConfig.error();
  dbo.schemas.push_back(channels::channelsSchema());
  dbo.schemas.push_back(WaveService::schema());
  dbo.schemas.push_back(packing::packingSchema());
  dbo.schemas.push_back(inbound::inboundSchema());
  dbo.schemas.push_back(identity::identitySchema());
  auto identitySettings = identity::identitySettingsFrom(config.raw);
  if (!identitySettings) return identitySettings.error();
  auto inboundConfig = inbound::inboundConfigFrom(config.raw);
  if (!inboundConfig) return inboundConfig.error();
  auto countConfig = inbound::countConfigFrom(config.raw);
  if (!countConfig) return countConfig.error();
  auto packingConfig = packing::packingConfigFrom(config.raw);
  if (!packingConfig) return packingConfig.error();
  auto waveConfig = waveConfigFrom(config);
  if (!waveConfig) return waveConfig.error();
  auto watchdogConfig = watchdogConfigFrom(config);
  if (!watchdogConfig) return watchdogConfig.error();
  auto db = store::Database::open(dbo);
  if (!db) return db.error();
  impl->db = std::move(*db);
  log.information("database %s at schema version %d", config.storePath.string(), impl->db->schemaVersion());

  auto gatewayConfig = gatewayConfigFrom(config);
  if (!gatewayConfig) return gatewayConfig.error();

  impl->identity = std::make_unique<identity::IdentityService>(*impl->db, identitySettings->config);
  if (auto st = ensureAdmin(*impl->identity, *identitySettings, config); !st) {
    // Started on a disk that cannot write now (read-only, full): serve what
    // can be served and say so on /healthz (a first start wrote its schema,
    // so its disk could write).
    if (st.error().kind != ErrorKind::Unavailable) return st.error();
    log.warning("cannot check the admin account now: %s", st.error().message);
  }

  impl->catalog = std::make_unique<CatalogService>(*impl->db);
  impl->intake = std::make_unique<stock::OrderIntake>(impl->events, stock::IntakeOptions{config.onShortage});
  impl->stock = std::make_unique<StockService>(*impl->db, impl->events);
  impl->orders = std::make_unique<OrderService>(*impl->db, *impl->intake);
  // Handhelds and waves: the gateway must know the waves' event handlers
  // before it starts taking messages.
  impl->gateway = std::make_unique<DeviceGateway>(*gatewayConfig, *impl->db, impl->metrics);
  auto waves = WaveService::create(*waveConfig, *impl->db, *impl->gateway, impl->metrics, impl->events);
  if (!waves) return waves.error();
  impl->waves = std::move(*waves);
  impl->intake->onCancelReleased(
      [w = impl->waves.get()](store::Tx& tx, domain::OrderId id) { return w->dropReleasedOrder(tx, id); });

  // Packing and shipping: the packing station page, handhelds in pack
  // mode, label printing.
  impl->shipmentEvents = std::make_unique<ShipmentStockEvents>(impl->events);
  try {
    impl->shipping =
        std::make_unique<packing::ShippingService>(*impl->db, *packingConfig, impl->events, *impl->shipmentEvents);
  } catch (const std::invalid_argument& e) {
    return Error{ErrorKind::Invalid, std::string("packing: ") + e.what()};
  }
  impl->packSessions = std::make_unique<packing::PackSessionService>(*impl->db, *impl->shipping);
  impl->stationScans = std::make_unique<packing::StationScans>(*impl->db);
  auto printing = packing::LabelPrinting::create(*impl->db, *impl->shipping, {}, &impl->metrics.background());
  if (!printing) return printing.error();
  impl->printing = std::move(*printing);
  registerPackingHandlers(*impl->gateway, *impl->shipping, *impl->stationScans, impl->printing.get());
  // Receiving at the dock (REST and handhelds): its stock moves fire the
  // same hook, so backorders and the channels hear of received goods.
  impl->receiving = std::make_unique<inbound::ReceivingService>(*impl->db, impl->events, *inboundConfig);
  impl->putaway = std::make_unique<inbound::PutawayService>(*impl->db, impl->events);
  impl->replenishment = std::make_unique<inbound::ReplenishmentService>(*impl->db, impl->events);
  impl->replenishment->demandFrom([w = impl->waves.get()](store::Tx& tx) { return w->openPicks(tx); });
  impl->replenishment->emergenciesFrom([w = impl->waves.get()](store::Tx& tx) { return w->emergencyFaces(tx); });
  impl->replenishment->onMoved([w = impl->waves.get()](store::Tx& tx, const inbound::ReplenishmentInput& move) {
    w->emergencyRefilled(tx, move.sku, move.to, move.qty);
  });
  impl->counts = std::make_unique<inbound::CountService>(*impl->db, impl->events, *countConfig);
  // Slotting walks the DC's layout (none: proposals are refused) and leaves
  // faces that released picks still pick from until they are picked.
  impl->slotting = std::make_unique<inbound::SlottingService>(*impl->db, impl->events);
  impl->slotting->demandFrom([w = impl->waves.get()](store::Tx& tx) { return w->openPicks(tx); });
  if (const layouts::Layout* dc = impl->waves->dcLayout()) {
    impl->slotting->geometryFrom([dc](const std::string& code) -> std::optional<inbound::SlotPlace> {
      const auto id = dc->find(code);
      if (!id) return std::nullopt;
      return inbound::SlotPlace{dc->distance(dc->depot(), *id), dc->location(*id).level};
    });
  }
  // Put-away ranks reserve by the walk to the SKU's face, level and volume
  // on the DC's layout.
  if (const layouts::Layout* dc = impl->waves->dcLayout()) {
    inbound::PutawayGeometry geometry;
    geometry.walkMm = [dc](const std::string& from, const std::string& to) -> std::optional<std::int64_t> {
      const auto a = dc->find(from), b = dc->find(to);
      if (!a || !b) return std::nullopt;
      return dc->distance(*a, *b);
    };
    geometry.level = [dc](const std::string& code) -> std::optional<int> {
      const auto id = dc->find(code);
      if (!id) return std::nullopt;
      return dc->location(*id).level;
    };
    geometry.locationVolumeCm3 = dc->locationVolumeCm3();
    // A location on the store's layout is the store's; the rest (the DC's
    // layout, its docks) the DC's.
    geometry.site = [store = impl->waves->storeLayout()](const std::string& code) -> std::string {
      return store && store->find(code) ? "store" : "dc";
    };
    impl->putaway->geometryFrom(std::move(geometry));
  }
  registerInboundHandlers(*impl->gateway, *impl->receiving, *impl->putaway);
  registerReplenishAndCountHandlers(*impl->gateway, *impl->replenishment, *impl->counts, impl->freezes);
  impl->waves->frozenFrom([f = &impl->freezes](std::int64_t nowMs) { return f->frozen(nowMs); });
  impl->shipmentEvents->attach(impl->waves.get());

  // Work that stops moving: the waves explain the floor's stages, packing
  // the packing stations'.
  impl->watchdog = std::make_unique<Watchdog>(*watchdogConfig, *impl->db, impl->metrics);
  impl->watchdog->explain([w = impl->waves.get()](store::Tx& tx, Stage stage, const domain::Order& order) {
    return w->whyStuck(tx, stage, order);
  });
  impl->watchdog->explain(
      [s = impl->shipping.get()](store::Tx& tx, Stage stage, const domain::Order& order) -> std::string {
        if (stage != Stage::Picked && stage != Stage::Packed) return {};
        return s->whyNotShipped(tx, order.id);
      });

  impl->api = std::make_unique<http::ApiContext>(http::ApiContext{impl->config, *impl->db, impl->metrics,
                                                                  *impl->catalog, *impl->stock, *impl->orders,
                                                                  *impl->waves, *impl->gateway});
  // One router for every endpoint; a handler that throws is answered 500
  // by the router, and logged here with what it threw.
  impl->router.onHandlerFailure([](const http::Request& req, const std::string& what) {
    Poco::Logger::get("wmsd.http").error("%s %s failed: %s", req.method, req.path, what);
  });
  // Every route must have its row in docs/security.md's access table: a
  // route added without one stops the start here (a programming error).
  const identity::AccessTable* table = nullptr;
  try {
    table = &identity::builtInAccessTable();
    impl->router.requireEntries(
        [table](const std::string& method, const std::string& pattern) { return table->find(method, pattern); });
  } catch (const std::logic_error& e) {
    return Error{ErrorKind::Internal, e.what()};
  }
  identity::GateConfig gateConfig;
  gateConfig.allowedHosts = {"localhost", "127.0.0.1", "[::1]"};
  if (config.httpAddress != "0.0.0.0" && config.httpAddress != "::" && !config.httpAddress.empty())
    gateConfig.allowedHosts.push_back(config.httpAddress.find(':') != std::string::npos ? "[" + config.httpAddress + "]"
                                                                                        : config.httpAddress);
  for (const auto& h : config.allowedHosts) {
    if (h == "*") {
      gateConfig.allowedHosts.clear();  // behind a proxy that checks names itself
      break;
    }
    gateConfig.allowedHosts.push_back(h);
  }
  gateConfig.metricsPublic = config.metricsPublic;
  gateConfig.tls = config.tlsOn;
  gateConfig.audit = identitySettings->audit;
  impl->gate = std::make_unique<identity::Gate>(*table, *impl->identity, gateConfig);
  // Sales channels: orders in (webhooks, fetch, polling), stock out (outbox).
  if (!channelsConfig->onShortage) channelsConfig->onShortage = config.onShortage;
  impl->channels = std::make_unique<channels::ChannelHub>(*impl->db, *impl->intake, std::move(*channelsConfig),
                                                           &impl->metrics.background());
  impl->events.subscribe(*impl->channels);
  impl->shipmentEvents->attach(impl->channels.get());

  // A route without its row in the access table throws here.
  try {
    identity::addIdentityRoutes(impl->router, *impl->identity, identity::RestOptions{config.tlsOn, config.maxBodyBytes});
    http::addApiV1(impl->router, *impl->api);
    http::addWaveRoutes(impl->router, *impl->api);
    http::addChangeRoutes(impl->router, impl->feed);
    packing::addPackingRoutes(impl->router, *impl->shipping, *impl->packSessions, *impl->stationScans,
                              impl->printing.get(), config.maxBodyBytes);
    inbound::addInboundRoutes(impl->router, *impl->receiving, *impl->putaway, *impl->replenishment, *impl->counts,
                              config.maxBodyBytes);
    inbound::addSlottingRoutes(impl->router, *impl->slotting, config.maxBodyBytes);
    http::addChannelRoutes(impl->router, impl->config, impl->metrics, *impl->channels);
  } catch (const std::logic_error& e) {
    return Error{ErrorKind::Internal, std::string("cannot set up the routes: ") + e.what()};
  }
  impl->channels->start();

  if (auto st = impl->waves->start(); !st) return st.error();
  if (auto resumed = impl->printing->resume(); !resumed) {
    if (resumed.error().kind != ErrorKind::Unavailable) return resumed.error();
    log.warning("cannot resume the label spoolers now: %s", resumed.error().message);
  }
  if (auto st = impl->gateway->start(); !st) return st.error();
  impl->watchdog->start();

  try {
    // Under TLS the port speaks nothing else: a plain request fails its
    // handshake and is closed, it is never served.
    const Poco::Net::SocketAddress address(config.httpAddress, config.httpPort);
    Poco::Net::ServerSocket socket =
        tls ? Poco::Net::SecureServerSocket(address, 256, tls) : Poco::Net::ServerSocket(address, 256);
    impl->port = socket.address().port();
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(config.httpThreads);
    params->setMaxQueued(config.httpMaxQueued);
    // Each read or write of a request waits at most this long; the header
    // and the body as a whole have their deadlines in the registry.
    params->setTimeout(Poco::Timespan(config.httpIoTimeoutS, 0));
    params->setKeepAlive(config.httpKeepAliveTimeoutS > 0);
    params->setKeepAliveTimeout(Poco::Timespan(config.httpKeepAliveTimeoutS, 0));
    params->setMaxKeepAliveRequests(config.httpKeepAliveMaxRequests);
    http::HttpLimits limits;
    limits.headerTimeout = std::chrono::seconds(config.httpHeaderTimeoutS);
    limits.bodyTimeout = std::chrono::seconds(config.httpBodyTimeoutS);
    limits.keepAliveTimeout = std::chrono::seconds(config.httpKeepAliveTimeoutS);
    limits.keepAliveMaxRequests = config.httpKeepAliveMaxRequests;
    limits.maxPerAddress = config.httpMaxConnectionsPerAddress;
    limits.uncapped = config.httpUncappedAddresses;
    limits.maxStreams = config.httpMaxStreams;
    impl->connections = std::make_unique<http::ConnectionRegistry>(limits, impl->metrics, [i = impl.get()] {
      auto* server = i->httpServer.load();
      return server ? server->queuedConnections() : 0;
    });
    // The gate adds Strict-Transport-Security to every answer under TLS.
    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers =
        http::makeHandlerFactory(impl->router, *impl->gate, impl->metrics, impl->connections.get());
    impl->http = std::make_unique<Poco::Net::TCPServer>(
        http::makeConnectionFactory(*impl->connections, params, handlers), socket, params);
    impl->httpServer = impl->http.get();
    impl->http->start();
  } catch (const Poco::Exception& e) {
    return Error{ErrorKind::Unavailable,
                 "cannot listen on " + config.httpAddress + ":" + std::to_string(config.httpPort) + ": " +
                     e.displayText()};
  }
  log.information("HTTP API listening on %s://%s:%hu/", std::string(config.tlsOn ? "https" : "http"),
                  config.httpAddress, impl->port);
  if (!config.httpPortFile.empty()) {
    // Written to a temporary name and renamed, so a reader never sees half a number.
    auto tmp = config.httpPortFile;
    tmp += ".tmp";
    std::ofstream(tmp) << impl->port << "\n";
    std::filesystem::rename(tmp, config.httpPortFile);
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

std::uint16_t Server::httpPort() const { return impl_->port; }

Metrics& Server::metrics() { return impl_->metrics; }

void Server::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  auto& log = Poco::Logger::get("wmsd");
  log.information("stopping: no new requests; finishing those in flight");
  if (impl_->http) impl_->http->stop();
  if (impl_->connections) impl_->connections->stop();  // idle connections close now, the rest after their request
  impl_->feed.stop();  // live streams end (their boards reconnect to whoever serves next)
  // Give in-flight requests a moment to finish before the services go away.
  for (int i = 0; i < 100 && impl_->http && impl_->http->currentConnections() > 0; ++i)
    Poco::Thread::sleep(50);
  impl_->httpServer = nullptr;
  impl_->http.reset();
  impl_->connections.reset();
  if (impl_->watchdog) impl_->watchdog->stop();
  if (impl_->channels) impl_->channels->stop();
  if (impl_->waves) impl_->waves->stop();
  if (impl_->gateway) impl_->gateway->stop();
  impl_->waves.reset();
  impl_->gateway.reset();
  impl_->db.reset();
  log.information("stopped");
}

}  // namespace wms::server
