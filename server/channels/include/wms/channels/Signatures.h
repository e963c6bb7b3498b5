// How each channel signs what it sends us (webhooks, pushes) and how we sign
// what we send to it (API requests). Pure functions, no I/O.
//
// Every verify* function compares in constant time (the whole expected value
// is always compared, so the time taken does not tell how much of a guess was
// right). They return Unauthorized with a message naming what was wrong
// (missing header, not base64/hex, mismatch); the message never contains the
// expected value.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wms/common/Result.h"

namespace wms::channels {

// HMAC-SHA256 (RFC 2104 over FIPS 180-4 SHA-256): the 32 raw digest bytes.
std::string hmacSha256(std::string_view key, std::string_view message);

std::string toBase64(std::string_view bytes);         // RFC 4648, with padding
std::string toHexLower(std::string_view bytes);
std::string toHexUpper(std::string_view bytes);
// Decoders: Invalid for text that is not canonical base64 / hex.
Result<std::string> fromBase64(std::string_view text);
Result<std::string> fromHex(std::string_view text);  // either case

// True if a and b are equal; the time taken depends only on their lengths.
bool constantTimeEquals(std::string_view a, std::string_view b) noexcept;

// Shopify webhooks: X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(app secret, raw body)).
std::string shopifyWebhookSignature(std::string_view secret, std::string_view body);
Status verifyShopifyWebhook(std::string_view secret, std::string_view body, std::string_view header);

// Lazada push: Authorization = hex(HMAC-SHA256(app secret, app key + raw body)).
std::string lazadaPushSignature(std::string_view appKey, std::string_view appSecret, std::string_view body);
Status verifyLazadaPush(std::string_view appKey, std::string_view appSecret, std::string_view body,
                        std::string_view header);

// Shopee push: Authorization = hex(HMAC-SHA256(partner key, callback URL + '|' + raw body)).
std::string shopeePushSignature(std::string_view partnerKey, std::string_view callbackUrl, std::string_view body);
Status verifyShopeePush(std::string_view partnerKey, std::string_view callbackUrl, std::string_view body,
                        std::string_view header);

// TikTok Shop webhooks: Authorization = hex(HMAC-SHA256(app secret, app key + raw body)).
std::string tiktokWebhookSignature(std::string_view appKey, std::string_view appSecret, std::string_view body);
Status verifyTikTokWebhook(std::string_view appKey, std::string_view appSecret, std::string_view body,
                           std::string_view header);

// Lazada Open Platform request signing: upper hex(HMAC-SHA256(app secret,
// api path + each parameter's name and value concatenated in ASCII order of
// the names)). `params` excludes `sign`.
std::string lazadaRequestSignature(std::string_view appSecret, std::string_view apiPath,
                                   const std::vector<std::pair<std::string, std::string>>& params);

// Shopee Open Platform v2 shop-level request signing: hex(HMAC-SHA256(partner
// key, partner_id + api path + timestamp + access_token + shop_id)).
std::string shopeeRequestSignature(std::string_view partnerKey, std::string_view partnerId, std::string_view apiPath,
                                   std::string_view timestamp, std::string_view accessToken,
                                   std::string_view shopId);

}  // namespace wms::channels
