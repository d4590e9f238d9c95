// A folder of PNG images (kind `images`), in one of two layouts:
//   flat:      folder/*.png                      -> unlabelled
//   by class:  folder/<class name>/*.png          -> label = index of the class name
// Class names are sorted byte-wise (so "cat" < "dog"), files within a folder too, so
// the order and the labels are reproducible; describe() reports the mapping.
// Gray or RGB PNGs at 8 or 16 bits (palette images become RGB, alpha is dropped); all
// images must have the same size and channel count. Hidden entries (".x") are skipped,
// other image formats (.jpg, ...) are an error, other files are ignored.
#pragma once

#include "data/dataset.hpp"

#include <string>

namespace genhost::data {

Dataset load_image_folder(const std::string& folder);

}  // namespace genhost::data
