// Comparing against a PyTorch fixture, element by element, as torch.allclose does.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace genhost::testing {

// |got - want| <= atol + rtol |want| everywhere, else a failure naming the first element that is not.
inline void require_close(const float* got, const std::vector<float>& want, double rtol, double atol,
                          const std::string& what) {
    for (size_t i = 0; i < want.size(); ++i) {
        const double g = got[i], w = want[i];
        if (!(std::fabs(g - w) <= atol + rtol * std::fabs(w))) {
            std::ostringstream msg;
            msg.precision(9);
            msg << what << " element " << i << " of " << want.size() << ": got " << g << ", torch has " << w;
            FAIL(msg.str());
        }
    }
    SUCCEED(what);
}

}  // namespace genhost::testing
