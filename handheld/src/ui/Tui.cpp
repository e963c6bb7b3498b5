#include "wms/handheld/Tui.h"

#include <unistd.h>

#include <clocale>
#include <csignal>
#include <cstdio>
#include <string>

#include "wms/handheld/Layout.h"
#include "wms/handheld/TypedInput.h"

// ncurses after our headers: its macros (OK, ERR, timeout) would otherwise
// leak into them.
#include <curses.h>

namespace wms::handheld {
namespace {

volatile std::sig_atomic_t quitRequested = 0;

void onQuitSignal(int) { quitRequested = 1; }

// Restores the terminal however the loop ends.
class CursesSession {
 public:
  CursesSession() {
    std::setlocale(LC_ALL, "");
    // newterm (unlike initscr) returns null instead of exiting when the
    // terminal cannot be used.
    // When standard output or input is not the terminal (piped into tee,
    // say), draw on and read from the controlling terminal itself.
    FILE* out = stdout;
    FILE* in = stdin;
    if (!::isatty(::fileno(stdout)) || !::isatty(::fileno(stdin))) {
      tty_ = std::fopen("/dev/tty", "r+");
      if (tty_) out = in = tty_;
    }
    screen_ = newterm(nullptr, out, in);
    if (!screen_) return;
    set_term(screen_);
    window_ = stdscr;
    cbreak();  // Ctrl-C still raises SIGINT
    noecho();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    wtimeout(stdscr, 50);
    curs_set(0);
  }
  ~CursesSession() {
    if (screen_) {
      endwin();
      delscreen(screen_);
    }
    if (tty_) std::fclose(tty_);
  }
  CursesSession(const CursesSession&) = delete;
  CursesSession& operator=(const CursesSession&) = delete;
  bool ok() const { return window_ != nullptr; }

 private:
  FILE* tty_ = nullptr;
  SCREEN* screen_ = nullptr;
  WINDOW* window_ = nullptr;
};

attr_t attributeOf(LineStyle style) {
  switch (style) {
    case LineStyle::Title: return A_REVERSE;
    case LineStyle::Strong: return A_BOLD;
    case LineStyle::Error: return A_REVERSE | A_BOLD;
    case LineStyle::Dim: return A_DIM;
    case LineStyle::Normal: return A_NORMAL;
  }
  return A_NORMAL;
}

void draw(const Handheld& app, const std::string& input) {
  const Panel panel = layoutView(app.view(), input, COLS, LINES);
  werase(stdscr);
  for (int i = 0; i < static_cast<int>(panel.lines.size()); ++i) {
    const auto& line = panel.lines[static_cast<std::size_t>(i)];
    const attr_t a = attributeOf(line.style);
    wattron(stdscr, a);
    std::string text = line.text;
    // Styled bars span the panel so that reverse video reads as a bar.
    if (line.style == LineStyle::Title || line.style == LineStyle::Error) {
      const auto n = displayWidth(text);
      if (n < static_cast<std::size_t>(panel.width)) text += std::string(static_cast<std::size_t>(panel.width) - n, ' ');
    }
    mvwaddstr(stdscr, panel.top + i, panel.left, text.c_str());
    wattroff(stdscr, a);
  }
  wrefresh(stdscr);
}

void popCharacter(std::string& s) {
  while (!s.empty()) {
    const auto c = static_cast<unsigned char>(s.back());
    s.pop_back();
    if ((c & 0xC0) != 0x80) break;
  }
}

}  // namespace

int runTui(Handheld& app, DeviceLink* link, const TuiOptions& options) {
  (void)link;
  quitRequested = 0;
  struct sigaction sa {};
  sa.sa_handler = onQuitSignal;
  sigemptyset(&sa.sa_mask);
  struct sigaction oldInt {}, oldTerm {}, oldHup {};
  sigaction(SIGINT, &sa, &oldInt);
  sigaction(SIGTERM, &sa, &oldTerm);
  sigaction(SIGHUP, &sa, &oldHup);
  int code = 0;
  {
    CursesSession curses;
    if (!curses.ok()) {
      code = 1;
    } else {
      std::string input;
      auto trigger = [&] {
        if (options.trigger) app.input(options.trigger(app.expectation()));
        else app.input(ScanFailed{"no camera: type or scan the barcode instead"});
      };
      while (!quitRequested) {
        if (options.idle) options.idle();
        app.poll();
        draw(app, input);
        const int ch = wgetch(stdscr);
        if (ch == ERR) continue;
        switch (ch) {
          case KEY_F(10): quitRequested = 1; break;
          case KEY_F(1): trigger(); break;
          case KEY_F(2): app.input(KeyPress{Key::Short}); break;
          case KEY_F(3): app.input(KeyPress{Key::Skip}); break;
          case KEY_F(4): app.input(KeyPress{Key::CloseCarton}); break;
          case KEY_F(5): app.input(KeyPress{Key::Label}); break;
          case KEY_F(6): app.input(KeyPress{Key::Undo}); break;
          case KEY_F(7): app.input(KeyPress{Key::Damaged}); break;
          case KEY_RESIZE: break;
          case KEY_ENTER:
          case '\n':
          case '\r': {
            const std::string line = input;
            input.clear();
            app.typed(line);
            break;
          }
          case KEY_BACKSPACE:
          case 127:
          case 8:
            popCharacter(input);
            break;
          case 27:
            if (!input.empty()) input.clear();
            else app.input(KeyPress{Key::Escape});
            break;
          default:
            // Printable text, UTF-8 bytes and GS (a wedge's GS1 separator)
            // go to the keypad line; other keys do nothing.
            if (((ch >= 0x20 && ch < 0x7F) || (ch >= 0x80 && ch <= 0xFF) || ch == 0x1D) &&
                input.size() < kMaxTypedLine)
              input += static_cast<char>(ch);
            break;
        }
      }
    }
  }
  sigaction(SIGINT, &oldInt, nullptr);
  sigaction(SIGTERM, &oldTerm, nullptr);
  sigaction(SIGHUP, &oldHup, nullptr);
  return code;
}

}  // namespace wms::handheld
