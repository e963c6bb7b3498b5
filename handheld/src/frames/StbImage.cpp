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
#include <stb/stb_image.h>
