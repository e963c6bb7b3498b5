// Tests src/frames/V4l2Camera.cpp and PixelConversion.cpp. No camera is
// needed: the conversions are pure, and opening a device that is missing or
// is not a camera must fail with a clear error.
#include <boost/test/unit_test.hpp>

#include "HandheldTestPrinting.h"
#include "wms/handheld/V4l2Camera.h"

using namespace wms;
using namespace wms::handheld;

BOOST_AUTO_TEST_CASE(grey_rows_are_copied_without_the_drivers_padding) {
  // 3x2 frame, pitch 5: two bytes of padding per row.
  std::vector<std::uint8_t> data{1, 2, 3, 99, 99, 4, 5, 6};
  auto f = greyToFrame(data, 3, 2, 5);
  BOOST_TEST_REQUIRE(f.ok(), (f ? "" : f.error().message));
  BOOST_TEST(f->pixels() == (std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6}));
}

BOOST_AUTO_TEST_CASE(yuyv_keeps_the_luma_bytes_only) {
  // Y0 U Y1 V Y2 U Y3 V, then a padded second row.
  std::vector<std::uint8_t> data{10, 200, 20,  201, 30,  202, 40,  203, 0,
                                 0,  50,  200, 60,  201, 70,  202, 80,  203};
  auto f = yuyvToFrame(data, 4, 2, 10);
  BOOST_TEST_REQUIRE(f.ok(), (f ? "" : f.error().message));
  BOOST_TEST(f->pixels() == (std::vector<std::uint8_t>{10, 20, 30, 40, 50, 60, 70, 80}));
}

BOOST_AUTO_TEST_CASE(conversions_refuse_buffers_that_do_not_fit_the_size) {
  std::vector<std::uint8_t> data(10);
  auto shortGrey = greyToFrame(data, 4, 3, 4);
  BOOST_TEST_REQUIRE(!shortGrey.ok());
  BOOST_TEST(shortGrey.error().message == "GREY buffer of 10 bytes is too short for 4x3 (needs 12)");
  BOOST_TEST(greyToFrame(data, 4, 2, 3).error().message ==
             "GREY row pitch 3 is smaller than a row of 4 bytes");
  BOOST_TEST(yuyvToFrame(data, 3, 1, 6).error().message == "YUYV width 3 is odd (pixels come in pairs)");
  BOOST_TEST(yuyvToFrame(data, 4, 2, 8).error().kind == ErrorKind::Invalid);
  BOOST_TEST(greyToFrame(data, 0, 2, 4).error().kind == ErrorKind::Invalid);
}

BOOST_AUTO_TEST_CASE(the_last_row_needs_no_padding_after_it) {
  std::vector<std::uint8_t> data{1, 2, 0, 0, 3, 4};  // pitch 4, last row only 2 bytes
  auto f = greyToFrame(data, 2, 2, 4);
  BOOST_TEST_REQUIRE(f.ok());
  BOOST_TEST(f->pixels() == (std::vector<std::uint8_t>{1, 2, 3, 4}));
}

BOOST_AUTO_TEST_CASE(opening_a_missing_camera_says_which_device_is_missing) {
  CameraOptions o;
  o.device = "/dev/video-wms-test-missing";
  auto cam = V4l2Camera::open(o);
  BOOST_TEST_REQUIRE(!cam.ok());
  BOOST_TEST(cam.error().kind == ErrorKind::NotFound);
  BOOST_TEST(cam.error().message == "/dev/video-wms-test-missing: no such camera device");
}

BOOST_AUTO_TEST_CASE(opening_something_that_is_not_a_camera_is_refused) {
  CameraOptions o;
  o.device = "/dev/null";
  auto cam = V4l2Camera::open(o);
  BOOST_TEST_REQUIRE(!cam.ok());
  BOOST_TEST(cam.error().kind == ErrorKind::Invalid);
  BOOST_TEST(cam.error().message.rfind("/dev/null: not a V4L2 device", 0) == 0, cam.error().message);
}

BOOST_AUTO_TEST_CASE(silly_options_are_refused_before_touching_the_device) {
  CameraOptions o;
  o.device = "/dev/null";
  o.buffers = 0;
  BOOST_TEST(V4l2Camera::open(o).error().message == "/dev/null: buffer count 0 is not 1-32");
  o.buffers = 4;
  o.width = 0;
  BOOST_TEST(V4l2Camera::open(o).error().kind == ErrorKind::Invalid);
}
