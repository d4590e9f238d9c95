// find_nonfinite_grad / check_finite_grads name the parameter and element.
#include "test_support.hpp"
#include "train/grad_check.hpp"
#include "util/error.hpp"

using namespace genhost::train;
using namespace genhost::train::test;

TEST_CASE("finite gradients pass and the first NaN or inf is named", "[train][check]") {
    Model m;
    m.add("disc.fc1.weight", std::vector<float>(3000, 0.0f));
    m.add("disc.fc2.weight", std::vector<float>(4096, 0.0f));
    for (std::size_t i = 0; i < m.grads[1].size(); ++i) m.grads[1][i] = 1e30f * static_cast<float>(i % 7);
    CHECK_FALSE(find_nonfinite_grad(m.slots()));
    CHECK_NOTHROW(check_finite_grads(m.slots(), 1200, "discriminator"));

    m.grads[1][2049] = -INFINITY;
    m.grads[1][3000] = NAN;
    auto bad = find_nonfinite_grad(m.slots());
    REQUIRE(bad);
    CHECK(bad->param == "disc.fc2.weight");
    CHECK(bad->index == 2049);
    CHECK(describe(*bad) == "gradient of 'disc.fc2.weight' is -inf (element 2049 of 4096)");

    m.grads[0][17] = NAN;
    CHECK_THROWS_WITH(check_finite_grads(m.slots(), 1200, "discriminator"),
                      Catch::StartsWith("step 1200, phase discriminator: gradient of 'disc.fc1.weight' is NaN "
                                        "(element 17 of 3000); training diverged"));
}

TEST_CASE("values are checked the same way", "[train][check]") {
    Model m;
    m.add("w", {1.0f, INFINITY});
    auto bad = find_nonfinite_value(m.slots());
    REQUIRE(bad);
    CHECK(describe(*bad, "value") == "value of 'w' is +inf (element 1 of 2)");
}
