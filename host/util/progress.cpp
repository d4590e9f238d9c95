#include "util/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace genhost {

std::string format_duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "?";
    int64_t s = static_cast<int64_t>(seconds + 0.5);
    char buffer[32];
    if (s >= 3600)
        std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                      static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
    else
        std::snprintf(buffer, sizeof buffer, "%lld:%02lld", static_cast<long long>(s / 60),
                      static_cast<long long>(s % 60));
    return buffer;
}

Progress::Progress(std::string label, int64_t total, int64_t every, bool quiet)
    : label_(std::move(label)), total_(total), every_(every > 0 ? every : 1), quiet_(quiet),
      terminal_(isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

Progress::~Progress() {
    if (drawn_ && terminal_) std::cerr << "\n";
}

double Progress::seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::update(int64_t done, const std::string& status) {
    if (quiet_) return;
    if (start_done_ < 0) start_done_ = done;
    if (terminal_) {
        auto now = std::chrono::steady_clock::now();
        if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) && done < total_) return;
        last_draw_ = now;
        draw(done, status, false);
    } else if (done / every_ != last_line_ / every_ || done == total_) {
        if (done == last_line_) return;
        last_line_ = done;
        draw(done, status, false);
    }
}

void Progress::finish(const std::string& status) {
    if (quiet_) return;
    draw(total_, status, true);
}

void Progress::draw(int64_t done, const std::string& status, bool final) {
    const double elapsed = seconds();
    const int64_t progressed = done - (start_done_ < 0 ? 0 : start_done_);
    const double eta = progressed > 0 ? elapsed / progressed * static_cast<double>(total_ - done) : NAN;
    std::string line = label_ + "  ";
    if (terminal_) {
        const int width = 20;
        int filled = total_ > 0 ? static_cast<int>(width * done / total_) : width;
        line += "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]  ";
    }
    line += std::to_string(done) + "/" + std::to_string(total_) + "  " + status;
    line += final ? "  " + format_duration(elapsed) + " total" : "  ETA " + format_duration(eta);
    if (terminal_) {
        std::cerr << "\r\033[K" << line << std::flush;
        drawn_ = true;
        if (final) {
            std::cerr << "\n";
            drawn_ = false;
        }
    } else {
        std::cerr << line << "\n";
    }
}

}  // namespace genhost
