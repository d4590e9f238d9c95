#include "run/data_options.hpp"

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

}  // namespace genhost::run
