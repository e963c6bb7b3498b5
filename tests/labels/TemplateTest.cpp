#include <boost/test/unit_test.hpp>

#include "LabelsTestSupport.h"
#include "wms/labels/Template.h"

using namespace wms;
using namespace wms::labels;

BOOST_AUTO_TEST_SUITE(label_template)

BOOST_AUTO_TEST_CASE(page_size_in_dots_follows_size_and_resolution) {
  const struct {
    LabelSize size;
    Dpi dpi;
    int width, height;
  } cases[] = {
      {LabelSize::FourBySix, Dpi::D203, 812, 1218}, {LabelSize::FourBySix, Dpi::D300, 1200, 1800},
      {LabelSize::FourByFour, Dpi::D203, 812, 812}, {LabelSize::FourByFour, Dpi::D300, 1200, 1200},
      {LabelSize::A6, Dpi::D203, 839, 1183},        {LabelSize::A6, Dpi::D300, 1240, 1748},
  };
  for (const auto& c : cases) {
    const Template t = makeTemplate(c.size, c.dpi);
    BOOST_TEST_CONTEXT(toString(c.size) << "@" << static_cast<int>(c.dpi)) {
      BOOST_TEST(t.widthDots == c.width);
      BOOST_TEST(t.heightDots == c.height);
      BOOST_TEST(t.dotsPerInch() == static_cast<int>(c.dpi));
    }
  }
}

BOOST_AUTO_TEST_CASE(millimetres_round_to_the_nearest_dot) {
  const Template t = makeTemplate(LabelSize::FourBySix, Dpi::D203);
  BOOST_TEST(t.dots(25.4) == 203);
  BOOST_TEST(t.dots(1.0) == 8);
  BOOST_TEST(t.dots(0.0) == 0);
}

BOOST_AUTO_TEST_CASE(size_and_dpi_names_parse_and_unknown_ones_are_invalid) {
  BOOST_TEST((parseLabelSize("4x6").value() == LabelSize::FourBySix));
  BOOST_TEST((parseLabelSize("4X4").value() == LabelSize::FourByFour));
  BOOST_TEST((parseLabelSize("A6").value() == LabelSize::A6));
  BOOST_TEST(parseLabelSize("letter").error().message == "label size must be 4x6, 4x4 or a6, got \"letter\"");
  BOOST_TEST((parseDpi("300").value() == Dpi::D300));
  BOOST_TEST(parseDpi("600").error().message == "dpi must be 203 or 300, got \"600\"");
  BOOST_TEST(!parseDpi("").ok());
  for (LabelSize s : {LabelSize::FourBySix, LabelSize::FourByFour, LabelSize::A6}) {
    BOOST_TEST((parseLabelSize(toString(s)).value() == s));
  }
}

BOOST_AUTO_TEST_SUITE_END()
