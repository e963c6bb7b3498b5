#include "wms/handheld/V4l2Camera.h"

#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace wms::handheld {
namespace {

// ioctl that survives signals: V4L2 calls may be interrupted while waiting.
int xioctl(int fd, unsigned long request, void* arg) {
  int r;
  do r = ::ioctl(fd, request, arg);
  while (r < 0 && errno == EINTR);
  return r;
}

std::string errnoText(int err) {
  return std::strerror(err);
}

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.fd_;
      o.fd_ = -1;
    }
    return *this;
  }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

class Mapping {
 public:
  Mapping(void* addr, std::size_t length) : addr_(addr), length_(length) {}
  ~Mapping() {
    if (addr_ != MAP_FAILED && addr_ != nullptr) ::munmap(addr_, length_);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  Mapping(Mapping&& o) noexcept : addr_(o.addr_), length_(o.length_) { o.addr_ = nullptr; }
  Mapping& operator=(Mapping&&) = delete;
  const std::uint8_t* data() const { return static_cast<const std::uint8_t*>(addr_); }
  std::size_t size() const { return length_; }

 private:
  void* addr_;
  std::size_t length_;
};

}  // namespace

struct V4l2Camera::State {
  std::string device;
  UniqueFd fd;
  std::vector<Mapping> buffers;  // declared after fd: unmapped before the descriptor closes
  bool streaming = false;
  int width = 0;
  int height = 0;
  int bytesPerLine = 0;
  CameraPixelFormat format = CameraPixelFormat::Grey;
  std::chrono::milliseconds timeout{2000};

  ~State() {
    if (streaming) {
      v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
      xioctl(fd.get(), VIDIOC_STREAMOFF, &type);
    }
    buffers.clear();
  }
  Error fail(ErrorKind kind, const std::string& what) const { return makeError(kind, device + ": " + what); }
};

V4l2Camera::V4l2Camera(std::unique_ptr<State> state) : state_(std::move(state)) {}
V4l2Camera::~V4l2Camera() = default;

Result<std::unique_ptr<V4l2Camera>> V4l2Camera::open(const CameraOptions& options) {
  auto s = std::make_unique<State>();
  s->device = options.device.string();
  s->timeout = options.frameTimeout;
  if (options.buffers < 1 || options.buffers > 32)
    return s->fail(ErrorKind::Invalid, "buffer count " + std::to_string(options.buffers) + " is not 1-32");
  if (auto st = checkFrameSize(options.width, options.height); !st)
    return s->fail(st.error().kind, st.error().message);

  int fd = ::open(s->device.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT || err == ENODEV || err == ENXIO)
      return s->fail(ErrorKind::NotFound, "no such camera device");
    return s->fail(ErrorKind::Unavailable, "cannot open: " + errnoText(err));
  }
  s->fd = UniqueFd(fd);

  v4l2_capability cap{};
  if (xioctl(fd, VIDIOC_QUERYCAP, &cap) < 0)
    return s->fail(ErrorKind::Invalid, "not a V4L2 device (VIDIOC_QUERYCAP: " + errnoText(errno) + ")");
  std::uint32_t caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
  if (!(caps & V4L2_CAP_VIDEO_CAPTURE)) return s->fail(ErrorKind::Invalid, "not a video capture device");
  if (!(caps & V4L2_CAP_STREAMING)) return s->fail(ErrorKind::Invalid, "does not support streaming I/O");

  // GREY needs no conversion; YUYV is what most UVC imagers offer.
  bool negotiated = false;
  for (std::uint32_t fourcc : {V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_YUYV}) {
    v4l2_format fmt{};
    fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    fmt.fmt.pix.width = static_cast<std::uint32_t>(options.width);
    fmt.fmt.pix.height = static_cast<std::uint32_t>(options.height);
    fmt.fmt.pix.pixelformat = fourcc;
    fmt.fmt.pix.field = V4L2_FIELD_NONE;
    if (xioctl(fd, VIDIOC_S_FMT, &fmt) < 0) {
      if (errno == EBUSY) return s->fail(ErrorKind::Unavailable, "camera is busy (used by another program)");
      continue;
    }
    if (fmt.fmt.pix.pixelformat != fourcc) continue;
    if (fmt.fmt.pix.width > static_cast<std::uint32_t>(kMaxFrameSide) ||
        fmt.fmt.pix.height > static_cast<std::uint32_t>(kMaxFrameSide))
      return s->fail(ErrorKind::Invalid, "driver chose an unsupported size");
    s->width = static_cast<int>(fmt.fmt.pix.width);
    s->height = static_cast<int>(fmt.fmt.pix.height);
    s->format = fourcc == V4L2_PIX_FMT_GREY ? CameraPixelFormat::Grey : CameraPixelFormat::Yuyv;
    int minPitch = s->width * (s->format == CameraPixelFormat::Grey ? 1 : 2);
    s->bytesPerLine = std::max(static_cast<int>(fmt.fmt.pix.bytesperline), minPitch);
    negotiated = true;
    break;
  }
  if (!negotiated) return s->fail(ErrorKind::Invalid, "offers neither GREY nor YUYV frames");

  v4l2_requestbuffers req{};
  req.count = static_cast<std::uint32_t>(options.buffers);
  req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  req.memory = V4L2_MEMORY_MMAP;
  if (xioctl(fd, VIDIOC_REQBUFS, &req) < 0)
    return s->fail(ErrorKind::Invalid, "memory-mapped buffers refused: " + errnoText(errno));
  if (req.count < 1) return s->fail(ErrorKind::Unavailable, "driver granted no buffers");

  for (std::uint32_t i = 0; i < req.count; ++i) {
    v4l2_buffer buf{};
    buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    buf.memory = V4L2_MEMORY_MMAP;
    buf.index = i;
    if (xioctl(fd, VIDIOC_QUERYBUF, &buf) < 0)
      return s->fail(ErrorKind::Unavailable, "VIDIOC_QUERYBUF: " + errnoText(errno));
    void* addr = ::mmap(nullptr, buf.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, buf.m.offset);
    if (addr == MAP_FAILED)
      return s->fail(ErrorKind::Unavailable, "mmap of buffer failed: " + errnoText(errno));
    s->buffers.emplace_back(addr, buf.length);
    if (xioctl(fd, VIDIOC_QBUF, &buf) < 0)
      return s->fail(ErrorKind::Unavailable, "VIDIOC_QBUF: " + errnoText(errno));
  }

  v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  if (xioctl(fd, VIDIOC_STREAMON, &type) < 0)
    return s->fail(ErrorKind::Unavailable, "VIDIOC_STREAMON: " + errnoText(errno));
  s->streaming = true;
  return std::unique_ptr<V4l2Camera>(new V4l2Camera(std::move(s)));
}

Result<Frame> V4l2Camera::next() {
  State& s = *state_;
  pollfd pfd{s.fd.get(), POLLIN, 0};
  int r;
  do r = ::poll(&pfd, 1, static_cast<int>(s.timeout.count()));
  while (r < 0 && errno == EINTR);
  if (r < 0) return s.fail(ErrorKind::Unavailable, "poll: " + errnoText(errno));
  if (r == 0)
    return s.fail(ErrorKind::Unavailable, "no frame within " + std::to_string(s.timeout.count()) + " ms");
  if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL))
    return s.fail(ErrorKind::Unavailable, "device error (unplugged?)");

  v4l2_buffer buf{};
  buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  buf.memory = V4L2_MEMORY_MMAP;
  if (xioctl(s.fd.get(), VIDIOC_DQBUF, &buf) < 0)
    return s.fail(ErrorKind::Unavailable, "VIDIOC_DQBUF: " + errnoText(errno));
  if (buf.index >= s.buffers.size())
    return s.fail(ErrorKind::Malformed, "driver returned an unknown buffer index");

  const Mapping& m = s.buffers[buf.index];
  std::size_t used = std::min<std::size_t>(buf.bytesused ? buf.bytesused : m.size(), m.size());
  std::span<const std::uint8_t> data(m.data(), used);
  auto frame = s.format == CameraPixelFormat::Grey ? greyToFrame(data, s.width, s.height, s.bytesPerLine)
                                                   : yuyvToFrame(data, s.width, s.height, s.bytesPerLine);
  // Give the buffer back whatever the conversion said: the frame owns a copy.
  if (xioctl(s.fd.get(), VIDIOC_QBUF, &buf) < 0)
    return s.fail(ErrorKind::Unavailable, "VIDIOC_QBUF: " + errnoText(errno));
  if (!frame) return s.fail(ErrorKind::Malformed, frame.error().message);
  return frame;
}

std::string V4l2Camera::describe() const {
  return state_->device + " " + std::to_string(state_->width) + "x" + std::to_string(state_->height) + " " +
         (state_->format == CameraPixelFormat::Grey ? "GREY" : "YUYV");
}

int V4l2Camera::width() const noexcept {
  return state_->width;
}
int V4l2Camera::height() const noexcept {
  return state_->height;
}
CameraPixelFormat V4l2Camera::pixelFormat() const noexcept {
  return state_->format;
}

}  // namespace wms::handheld
