// The `shapes` dataset: white (or coloured) anti-aliased shapes on black, one class per
// shape, generated from a seed. For tests and quick demos: no files, any size, and a
// model that learns it visibly draws circles, squares, triangles, crosses and rings.
//
// Image i has label i % 5 (circle, square, triangle, cross, ring) and is drawn from its
// own random stream derive_seed(seed, i): radius 0.2..0.45 of the side, random centre
// (the shape stays inside), random rotation, brightness 0.7..1 (or a random colour).
// So image i does not depend on count, and the same options give the same images on
// every machine. Coverage is exact-ish anti-aliasing: clamp(0.5 - signed distance).
#pragma once

#include "data/dataset.hpp"
#include "data/options.hpp"

#include <string>
#include <vector>

namespace genhost::data {

const std::vector<std::string>& shape_names();

Dataset make_shapes(const ShapesOptions& options);

}  // namespace genhost::data
