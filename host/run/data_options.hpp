// The pipeline's `data:` section as the data part's options.
//
// With two domains (data.domains: {a: {...}, b: {...}}, CycleGAN) each domain is the
// data section with the domain's keys put over it; everything that reads "the data"
// (evaluation, the judge, test images) reads domain a, and the trainer draws domain b
// beside it.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "data/dataset.hpp"
#include "data/options.hpp"
#include "image/grid.hpp"
#include "sample/latent.hpp"

namespace genhost::run {

// `section` is validated (defaults filled in); `seed` is the run seed. `domain` "a" or
// "b" picks a domain of data.domains; "" is domain a when there are domains.
data::DataOptions data_options(const nlohmann::json& section, uint64_t seed, const std::string& domain = "");

// True when the section has data.domains.
bool has_domains(const nlohmann::json& section);

// The first `count` images of the test split of `section`'s dataset (0 = all), every
// class, with values in `range`: what reconstructions, completions and metrics compare with.
sample::LabelledImages test_images(const nlohmann::json& section, uint64_t seed, int64_t count, image::ValueRange range);

// The first `count` test images of domain `domain` ("a" or "b"), of the domain's classes
// only (they are what makes the domain), with values in `range`: what translate translates.
sample::LabelledImages domain_test_images(const nlohmann::json& section, uint64_t seed, const std::string& domain,
                                          int64_t count, image::ValueRange range);

// Refuses two domains that cannot be trained together, before any work: a class that
// a domain's dataset lacks, or images of different shapes. `at(key)` locates a key for
// messages ("pipeline.yaml:4:3: data.domains.b.classes").
void check_domains(const data::Dataset& a, const data::Dataset& b, const nlohmann::json& section,
                   const std::function<std::string(const std::string&)>& at);

// A `data:` section with every default of the pipeline schema filled in.
nlohmann::json default_data_section(nlohmann::json section);

}  // namespace genhost::run
