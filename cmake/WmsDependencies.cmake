# Every third-party dependency is a Debian package installed by tools/bootstrap.
# Nothing is downloaded at build time.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)

if(WMS_DEVICE_ONLY)
  # The handheld and protocol/ use JSON and Foundation; tests/support uses Net.
  find_package(Poco REQUIRED COMPONENTS Foundation Net JSON)
else()
  find_package(Poco REQUIRED COMPONENTS Foundation Util Net NetSSL JSON Data DataSQLite Crypto)
endif()
find_package(SQLite3 REQUIRED)

find_package(PahoMqttCpp REQUIRED)

# Debian's zxing-cpp 1.4 ships a CMake config exporting ZXing::ZXing.
find_package(ZXing REQUIRED)

if(WMS_BUILD_TESTS)
  find_package(Boost 1.74 REQUIRED COMPONENTS unit_test_framework)
endif()

if(NOT WMS_DEVICE_ONLY)
  pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo)
  pkg_check_modules(PANGOCAIRO REQUIRED IMPORTED_TARGET pangocairo)
endif()
