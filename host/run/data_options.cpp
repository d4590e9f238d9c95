#include "run/data_options.hpp"

#include <genhost/cpp/schema.hpp>

#include "data/load.hpp"
#include "pipeline/pipeline_schema.hpp"
#include "util/error.hpp"

namespace genhost::run {

data::DataOptions data_options(const nlohmann::json& s, uint64_t seed) {
    data::DataOptions o = data::data_default_options();
    o.kind = s.at("dataset").get<std::string>();
    if (!s.at("path").is_null()) o.path = s["path"].get<std::string>();
    o.split = s.at("split").get<std::string>();
    if (!s.at("images").is_null()) o.images = s["images"].get<std::string>();
    if (!s.at("labels").is_null()) o.labels = s["labels"].get<std::string>();
    o.batch_size = s.at("batch_size").get<int64_t>();
    o.range_min = s.at("range")[0].get<float>();
    o.range_max = s.at("range")[1].get<float>();
    o.limit = s.at("limit").get<int64_t>();
    o.classes = s.at("classes").get<std::vector<int64_t>>();
    o.shuffle = s.at("shuffle").get<bool>();
    o.binarize = s.at("binarize").get<bool>();
    o.seed = seed;
    o.shapes.count = s.at("size").get<int64_t>();
    o.shapes.size = s.at("image_size").get<int64_t>();
    o.shapes.seed = seed;
    return o;
}

sample::LabelledImages test_images(const nlohmann::json& section, uint64_t seed, int64_t count, image::ValueRange r) {
    data::DataOptions o = data_options(section, seed);
    o.split = "test";
    o.classes.clear();
    o.limit = 0;
    if (o.kind == "shapes") o.shapes.seed = seed + 1;  // unseen shapes
    data::Dataset ds = data::load_dataset(o);
    const int64_t n = count > 0 ? std::min(count, ds.n) : ds.n;
    sample::LabelledImages x;
    x.images = {n, ds.channels, ds.height, ds.width,
                std::vector<float>(ds.images.begin(), ds.images.begin() + n * ds.image_size())};
    for (float& v : x.images.data) v = r.lo + (r.hi - r.lo) * v;
    if (ds.labelled()) x.labels.assign(ds.labels.begin(), ds.labels.begin() + n);
    return x;
}

nlohmann::json default_data_section(nlohmann::json section) {
    std::vector<schema::Issue> issues;
    schema::validate(section, pipeline::pipeline_schema()["properties"]["data"], issues);
    if (!issues.empty()) throw Error("data: " + schema::format(issues));
    return section;
}

}  // namespace genhost::run
