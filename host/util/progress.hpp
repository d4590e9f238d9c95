// Progress of long work (training steps, sampling steps), for a person watching.
//
// On a terminal: one live line, redrawn at most 10 times a second,
//   train  [#########...........]  450/1000  epoch 2  loss 104.2 kl 24.1  1830 img/s  ETA 0:31
// Elsewhere (CI, a log file): a plain line every `every` units. `quiet`: nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace genhost {

class Progress {
public:
    Progress(std::string label, int64_t total, int64_t every, bool quiet);
    ~Progress();
    // Reports that `done` of `total` units are complete; `status` is shown after the counts.
    void update(int64_t done, const std::string& status);
    void finish(const std::string& status);  // final line, kept on screen
    double seconds() const;                  // since construction

private:
    void draw(int64_t done, const std::string& status, bool final);

    std::string label_;
    int64_t total_, every_;
    bool quiet_, terminal_;
    int64_t last_line_ = -1;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point start_, last_draw_;
    int64_t start_done_ = -1;
};

// "1:05:03" or "4:07".
std::string format_duration(double seconds);

}  // namespace genhost
