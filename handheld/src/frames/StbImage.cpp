// The one translation unit that compiles stb_image. Only the decoders for the
// types we accept are built, and stb never touches files: ImageFile.cpp reads
// them and hands over bytes whose size and dimensions it has checked. stb's
// own dimension limit sits above ours so that ours (with its clearer
// message) is the one that refuses large images.
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_PNM
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STBI_MAX_DIMENSIONS 65535
// stb's inflate treats the reserved distance codes 30 and 31 as distance 0
// and copies output it has not written yet: with plain malloc a corrupt PNG
// then decoded to whatever the heap held, differently from run to run
// (seen as a flaky test, confirmed with valgrind). Memory it gets is zeroed
// so that the result is at least deterministic; ImageFile.cpp's CRC check
// refuses such files before stb sees them unless the CRC was forged.
#include <cstdlib>
#include <cstring>
namespace {
void* zeroedRealloc(void* p, std::size_t oldSize, std::size_t newSize) {
  auto* q = static_cast<unsigned char*>(std::realloc(p, newSize));
  if (q && newSize > oldSize) std::memset(q + oldSize, 0, newSize - oldSize);
  return q;
}
}  // namespace
#define STBI_MALLOC(sz) std::calloc(1, sz)
#define STBI_REALLOC_SIZED(p, oldsz, newsz) zeroedRealloc(p, oldsz, newsz)
#define STBI_FREE(p) std::free(p)
// stb casts what these macros return C-style; with the macros defined here
// the compiler charges those casts to this file.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
#include <stb/stb_image.h>
#pragma GCC diagnostic pop
