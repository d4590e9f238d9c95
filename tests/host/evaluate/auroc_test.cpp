// AUROC against values worked out by hand.
#include <catch2/catch.hpp>

#include "evaluate/auroc.hpp"
#include "util/error.hpp"

using genhost::evaluate::auroc;

TEST_CASE("perfect, reversed and chance orderings", "[auroc]") {
    CHECK(auroc({1, 2, 3, 4}, {false, false, true, true}) == 1.0);
    CHECK(auroc({4, 3, 2, 1}, {false, false, true, true}) == 0.0);
    CHECK(auroc({1, 1, 1, 1}, {false, true, false, true}) == 0.5);
}

TEST_CASE("ties count one half, as in sklearn", "[auroc]") {
    // Positives 0.35, 0.8, 0.4 against negatives 0.1, 0.4: of the 6 pairs the positive
    // wins 4 and ties 1 (0.4 = 0.4), so AUROC = 4.5 / 6.
    CHECK(auroc({0.1, 0.4, 0.35, 0.8, 0.4}, {false, false, true, true, true}) == Approx(0.75));
}

TEST_CASE("one class alone is an error", "[auroc]") {
    CHECK_THROWS_AS(auroc({1, 2}, {true, true}), genhost::Error);
}
