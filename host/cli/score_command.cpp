// genhost score: sample-quality metrics of images made anywhere, against a dataset.
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "checkpoint/atomic_file.hpp"
#include "cli/options.hpp"
#include "run/quality.hpp"
#include "run/score.hpp"

namespace genhost::cli {

namespace {

const char* const kUsage =
    "Usage: genhost score IMAGES [--output DIR] [--data DATASET] [--data-path PATH] [--metrics LIST]\n"
    "                     [--judge CHECKPOINT | --judge-steps N] [--count N] [--threads N] [--plugin-path DIR]...\n"
    "                     [--quiet]\n"
    "Scores images made anywhere (a .npy file [N,H,W] or [N,C,H,W] with values in [0,1] or [-1,1], or a\n"
    "folder of PNGs) against the dataset's test split with every metric, in the feature space of the\n"
    "dataset's judge (trained once and cached; docs/metrics.md), and prints a table. With --output,\n"
    "writes DIR/metrics.json.";

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

}  // namespace

int score_command(const Args& args) {
    run::ScoreOptions o;
    std::string dataset = "fashion-mnist", data_path, metrics, output;
    std::vector<std::string> plugin_paths;
    int64_t count = 0;
    uint32_t threads = 0;
    po::options_description desc("Options");
    desc.add_options()("images", po::value(&o.images)->required(), "a .npy file or a folder of PNG images")(
        "output,o", po::value(&output), "write DIR/metrics.json")(
        "data", po::value(&dataset), "the reference dataset: fashion-mnist (default), mnist, idx, images, npy, shapes")(
        "data-path", po::value(&data_path), "its folder or file (mnist, idx, images, npy)")(
        "metrics", po::value(&metrics), "comma-separated metric plugins (default fid,inception_score,kid,prdc,class_spread)")(
        "judge", po::value(&o.judge), "the feature network's checkpoint (default: the dataset's cached judge)")(
        "count", po::value(&count), "test images compared (default: as many as IMAGES holds)")(
        "judge-steps", po::value(&o.judge_steps), "training steps of the dataset's judge when none is cached (default 1000)")(
        "threads", po::value(&threads), "busy threads (0 = all cores)")("quiet,q", po::bool_switch(&o.quiet),
                                                                        "no progress output");
    add_plugin_path_option(desc, plugin_paths);
    po::positional_options_description pos;
    pos.add("images", 1);
    po::variables_map vm;
    int code = 0;
    if (!parse(args, kUsage, desc, pos, vm, code)) return code;
    if (count < 0 || o.judge_steps < 1 || o.judge_steps > 1000000) {
        std::cerr << "genhost score: --count must be 0 or more, --judge-steps in [1, 1000000]\n";
        return 2;
    }
    o.data = {{"dataset", dataset}};
    if (!data_path.empty()) o.data["path"] = data_path;
    if (!metrics.empty()) o.metrics = split_list(metrics);
    o.count = count;
    o.threads = threads;

    loader::PluginRegistry registry;
    scan_plugins(registry, plugin_paths);
    const nlohmann::json scores = run::score_images(o, registry);

    std::cout << "scores of " << o.images << " (" << scores["images"]["generated"] << " images) against " << dataset
              << " test (" << scores["images"]["real"] << " images)";
    if (scores.contains("judge"))
        std::cout << ", judge sha256 " << scores["judge"]["sha256"].get<std::string>().substr(0, 12) << "...";
    std::cout << "\n";
    for (auto it = scores.begin(); it != scores.end(); ++it) {
        const std::string& k = it.key();
        if (!it.value().is_number() || (k.size() > 4 && k.compare(k.size() - 4, 4, "_std") == 0)) continue;
        std::cout << "  " << std::left << std::setw(18) << k << std::right << std::setw(12) << std::setprecision(6)
                  << it.value().get<double>();
        if (scores.contains(k + "_std")) std::cout << " ± " << scores[k + "_std"].get<double>();
        std::cout << "\n";
    }
    if (!output.empty()) {
        std::filesystem::create_directories(output);
        const std::string text = scores.dump(2) + "\n", file = (std::filesystem::path(output) / "metrics.json").string();
        checkpoint::write_file_atomic(file, {{text.data(), text.size()}});
        std::cout << "-> " << file << "\n";
    }
    return 0;
}

}  // namespace genhost::cli
