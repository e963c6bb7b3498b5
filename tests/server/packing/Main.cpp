// The packing suite: pure parts (scans, verification, cartons, tracking,
// config, JSON) and the services over a real SQLite file.
#define BOOST_TEST_MODULE server_packing_tests
#include <boost/test/unit_test.hpp>
