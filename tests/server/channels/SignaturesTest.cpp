// Signatures: HMAC-SHA256 against RFC 4231, base64 against RFC 4648, Lazada's
// request signing against the example in its API documentation, and each
// channel's webhook signature against values computed independently by
// openssl (no channel publishes a webhook example with its secret).
#include <boost/test/unit_test.hpp>

#include "wms/channels/Signatures.h"
#include "wms/testsupport/ChildProcess.h"

using namespace wms;
using namespace wms::channels;
using wms::testsupport::runCommand;

namespace {

// openssl's HMAC-SHA256 of `message` with `key`: hex, or base64 with `base64`.
std::string opensslHmac(const std::string& key, const std::string& message, bool base64) {
  std::string cmd = "openssl dgst -sha256 -hmac '" + key + "'" + (base64 ? " -binary | base64 -w0" : " -r | cut -d' ' -f1");
  auto r = runCommand({"sh", "-c", cmd}, message);
  BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
  std::string out = r.output;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

const std::string kBody = R"({"id":820982911946154508,"email":"jon@example.com","line_items":[]})";

}  // namespace

BOOST_AUTO_TEST_SUITE(signatures)

BOOST_AUTO_TEST_CASE(hmac_sha256_matches_rfc_4231_test_cases_1_and_2) {
  BOOST_TEST(toHexLower(hmacSha256(std::string(20, '\x0b'), "Hi There")) ==
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  BOOST_TEST(toHexLower(hmacSha256("Jefe", "what do ya want for nothing?")) ==
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block size is hashed first.
  BOOST_TEST(toHexLower(hmacSha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")) ==
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

BOOST_AUTO_TEST_CASE(base64_round_trips_the_rfc_4648_vectors_and_refuses_bad_text) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},  {"foob", "Zm9vYg=="},  {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    BOOST_TEST(toBase64(plain) == encoded);
    auto back = fromBase64(encoded);
    BOOST_REQUIRE(back.ok());
    BOOST_TEST(*back == plain);
  }
  for (const char* bad : {"Zg=", "Zg=a", "Z===", "Zm9v!", "=Zm9"}) BOOST_TEST(!fromBase64(bad).ok(), bad);
  BOOST_TEST(!fromHex("abc").ok());
  BOOST_TEST(!fromHex("zz").ok());
  BOOST_TEST(*fromHex("0aFF") == std::string("\x0a\xff", 2));
}

BOOST_AUTO_TEST_CASE(constant_time_equals_compares_whole_values) {
  BOOST_TEST(constantTimeEquals("abc", "abc"));
  BOOST_TEST(!constantTimeEquals("abc", "abd"));
  BOOST_TEST(!constantTimeEquals("abc", "ab"));
  BOOST_TEST(constantTimeEquals("", ""));
}

BOOST_AUTO_TEST_CASE(lazada_request_signature_matches_the_documented_example) {
  // Lazada Open Platform, "Signature algorithm": app secret "helloworld",
  // GetOrder with these parameters.
  std::vector<std::pair<std::string, std::string>> params = {{"app_key", "123456"},       {"access_token", "test"},
                                                             {"timestamp", "1517820392000"}, {"sign_method", "sha256"},
                                                             {"order_id", "1234"}};
  BOOST_TEST(lazadaRequestSignature("helloworld", "/order/get", params) ==
             "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A");
}

BOOST_AUTO_TEST_CASE(shopify_webhook_signature_is_base64_hmac_of_the_raw_body) {
  const std::string expected = opensslHmac("hush", kBody, true);
  BOOST_TEST(shopifyWebhookSignature("hush", kBody) == expected);
  BOOST_TEST(verifyShopifyWebhook("hush", kBody, expected).ok());
  BOOST_TEST(verifyShopifyWebhook("hush", kBody, " " + expected + "\r\n").ok());  // header whitespace
}

BOOST_AUTO_TEST_CASE(shopify_verification_refuses_missing_malformed_and_wrong_signatures) {
  const std::string good = shopifyWebhookSignature("hush", kBody);
  auto missing = verifyShopifyWebhook("hush", kBody, "");
  BOOST_TEST((missing.error().kind == ErrorKind::Unauthorized));
  BOOST_TEST(missing.error().message.find("missing") != std::string::npos);
  BOOST_TEST(verifyShopifyWebhook("hush", kBody, "not base64!").error().message.find("not a base64") != std::string::npos);
  BOOST_TEST(verifyShopifyWebhook("other", kBody, good).error().message.find("mismatch") != std::string::npos);
  BOOST_TEST(!verifyShopifyWebhook("hush", kBody + " ", good).ok());  // one byte more in the body
  BOOST_TEST(!verifyShopifyWebhook("hush", kBody, good.substr(0, good.size() - 4)).ok());
  BOOST_TEST(verifyShopifyWebhook("hush", kBody, good).ok());
}

BOOST_AUTO_TEST_CASE(lazada_and_tiktok_push_signatures_are_hex_hmac_of_app_key_and_body) {
  BOOST_TEST(lazadaPushSignature("100001", "lz-secret", kBody) == opensslHmac("lz-secret", "100001" + kBody, false));
  BOOST_TEST(tiktokWebhookSignature("tt-app", "tt-secret", kBody) == opensslHmac("tt-secret", "tt-app" + kBody, false));
  const std::string sig = lazadaPushSignature("100001", "lz-secret", kBody);
  BOOST_TEST(verifyLazadaPush("100001", "lz-secret", kBody, sig).ok());
  BOOST_TEST(verifyLazadaPush("100001", "lz-secret", kBody, toHexUpper(*fromHex(sig))).ok());  // either case
  BOOST_TEST(!verifyLazadaPush("100002", "lz-secret", kBody, sig).ok());                       // other app key
  BOOST_TEST((verifyTikTokWebhook("tt-app", "tt-secret", kBody, "").error().kind == ErrorKind::Unauthorized));
}

BOOST_AUTO_TEST_CASE(shopee_push_signature_covers_the_callback_url_and_body) {
  const std::string url = "https://wms.example/api/v1/channels/shopee/webhooks";
  BOOST_TEST(shopeePushSignature("sp-key", url, kBody) == opensslHmac("sp-key", url + "|" + kBody, false));
  const std::string sig = shopeePushSignature("sp-key", url, kBody);
  BOOST_TEST(verifyShopeePush("sp-key", url, kBody, sig).ok());
  BOOST_TEST(!verifyShopeePush("sp-key", url + "/", kBody, sig).ok());
}

BOOST_AUTO_TEST_CASE(shopee_request_signature_is_hex_hmac_of_the_base_string) {
  BOOST_TEST(shopeeRequestSignature("key", "2001", "/api/v2/order/get_order_detail", "1660123127", "tok", "601412") ==
             opensslHmac("key", "2001/api/v2/order/get_order_detail1660123127tok601412", false));
}

BOOST_AUTO_TEST_SUITE_END()
