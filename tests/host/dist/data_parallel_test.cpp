// Data-parallel training as a user runs it: `mpirun -np 2 genhost run`, compared with one
// process at the same global batch, and a rank killed mid-run.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/genhost_run.hpp"

using namespace genhost::testing;
using namespace genhost::testing::run;
using Catch::Contains;

namespace {

// Root may run mpirun here (CI runs as root); --oversubscribe lets 2 ranks start on a
// machine that reports fewer slots.
const std::string kMpirun = "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 " + std::string(GENHOST_MPIEXEC) +
                            " --oversubscribe";

CommandResult one_process(const std::string& args) { return run_command(genhost_program() + " " + args); }
CommandResult mpirun(int ranks, const std::string& args) {
    return run_command(kMpirun + " -np " + std::to_string(ranks) + " " + genhost_program() + " " + args);
}

// train_log.csv as rows of numbers (the header dropped).
std::vector<std::vector<double>> log_rows(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    std::vector<std::vector<double>> rows;
    while (std::getline(in, line)) {
        std::vector<double> row;
        std::stringstream cells(line);
        for (std::string cell; std::getline(cells, cell, ',');) row.push_back(cell.empty() ? NAN : std::stod(cell));
        rows.push_back(row);
    }
    return rows;
}

// The quickstart's VAE on 4096 Fashion-MNIST images: one epoch, then the test ELBO.
std::string quickstart(int64_t batch_size) {
    return "name: dp\nseed: 3\n"
           "data: {dataset: fashion-mnist, batch_size: " + std::to_string(batch_size) + ", limit: 4096}\n"
           "model: {plugin: vae, params: {hidden: [400], latent_dim: 20, likelihood: bernoulli}}\n"
           "train: {epochs: 1, optimizer: {type: adam, lr: 1e-3}, log_every: 1, checkpoint_every: 0}\n"
           "evaluate: {likelihood: {count: 1000, iw_samples: 1}}\n";
}

}  // namespace

TEST_CASE("two ranks train the quickstart as one process does with their global batch", "[dist][mpi]") {
    const fs::path d = dir("dist/same");
    pipeline(d, quickstart(128), "one.yaml");
    pipeline(d, quickstart(64), "two.yaml");
    const auto one = one_process("run " + (d / "one.yaml").string() + " -q --threads 1 --output " + (d / "one").string());
    REQUIRE(one.code == 0);
    const auto two = mpirun(2, "run " + (d / "two.yaml").string() + " --threads 1 --output " + (d / "two").string());
    INFO(two.output);
    REQUIRE(two.code == 0);
    // Rank 0 alone speaks and writes.
    CHECK(two.output.find("on 2 processes") != std::string::npos);
    CHECK(two.output.find("rank 1") == std::string::npos);

    // Every step's losses: the same examples and the same per-example noise (genhost_batch.seeds),
    // so they differ only by float32 summation order (per-rank means, then their weighted
    // mean), far below the 6 significant digits of the log: relative 1e-5.
    const auto a = log_rows(d / "one" / "train_log.csv"), b = log_rows(d / "two" / "train_log.csv");
    REQUIRE(a.size() == 32);
    REQUIRE(b.size() == a.size());
    for (size_t r = 0; r < a.size(); ++r)
        for (size_t c = 0; c < 5; ++c) {  // step, epoch, loss, recon, kl
            INFO("row " << r << " column " << c);
            CHECK(b[r][c] == Approx(a[r][c]).epsilon(1e-5).margin(1e-6));
        }

    // After the epoch, the test ELBO within 0.5% (the bound; measured: 1e-8).
    auto metrics = [&](const char* run) {
        return nlohmann::json::parse(read(d / run / "metrics.json"))["likelihood"]["elbo_nats"].get<double>();
    };
    CHECK(metrics("two") == Approx(metrics("one")).epsilon(0.005));
    CHECK(std::abs(metrics("two") / metrics("one") - 1) < 1e-5);

    // The checkpoint says how it was made, and resumes on one process with a note.
    const auto resumed = one_process("run " + (d / "two.yaml").string() + " --threads 1 --output " + (d / "two").string() +
                                 " --resume --set train.epochs=1.5");
    INFO(resumed.output);
    CHECK(resumed.code == 0);
    CHECK_THAT(resumed.output, Contains("global batch of 128 (2 process(es)); this run has 64 (1)"));
}

TEST_CASE("a rank that fails to prepare stops every rank before any work, naming it", "[dist][mpi]") {
    const fs::path d = dir("dist/prepare");
    pipeline(d, quickstart(64), "p.yaml");
    // MPMD: rank 1 gets a dataset path that does not exist.
    const std::string good = genhost_program() + " run " + (d / "p.yaml").string() + " --output " + (d / "out").string();
    const auto r = run_command(kMpirun + " -np 1 " + good + " : -np 1 " + good + " --set data.path=/nonexistent/fashion");
    INFO(r.output);
    CHECK(r.code != 0);
    CHECK_THAT(r.output, Contains("rank 1 of 2: "));
    CHECK_THAT(r.output, Contains("/nonexistent/fashion"));
    CHECK_THAT(r.output, Contains("1 of 2 ranks failed to prepare the run"));
    CHECK(!fs::exists(d / "out" / "train_log.csv"));

    // The same mistake on every rank is reported once, by rank 0.
    const auto all = mpirun(2, "run " + (d / "p.yaml").string() + " --set data.batch_size=-1");
    CHECK(all.code != 0);
    CHECK_THAT(all.output, Contains("batch_size"));
    CHECK(all.output.find("rank 1") == std::string::npos);
}

TEST_CASE("a rank killed mid-run ends the job within seconds, and the last checkpoint resumes", "[dist][mpi]") {
    const fs::path d = dir("dist/kill");
    pipeline(d,
             "name: k\nseed: 0\ndata: {dataset: shapes, batch_size: 32, size: 2048}\n"
             "model: {plugin: vae, params: {hidden: [64], latent_dim: 4}}\n"
             "train: {steps: 1000000, optimizer: {type: adam, lr: 1e-3}, log_every: 10, checkpoint_every: 20}\n");
    const fs::path out = d / "out";
    // In the background: the job; once a checkpoint exists, rank 1 (found by the rank
    // Open MPI gives it in its environment) is killed with SIGKILL; then the job's end is timed.
    const std::string script =
        "(" + kMpirun + " -np 2 " + genhost_program() + " run " + (d / "p.yaml").string() + " --threads 1 --output " +
        out.string() + " > " + (d / "job.txt").string() + " 2>&1; echo $? > " + (d / "code.txt").string() + ") &\n" +
        "for i in $(seq 300); do [ -f " + (out / "checkpoint.safetensors").string() + " ] && break; sleep 0.1; done\n"
        "for p in $(pgrep -f 'genhost run " + (d / "p.yaml").string() + "'); do\n"
        "  tr '\\0' '\\n' < /proc/$p/environ 2>/dev/null | grep -qx OMPI_COMM_WORLD_RANK=1 && kill -9 $p && echo killed\n"
        "done\n"
        "start=$(date +%s%N); wait; end=$(date +%s%N)\n"
        "echo \"seconds $(( (end - start) / 1000000 ))e-3\"\n";
    std::ofstream(d / "kill.sh") << script;
    const auto r = run_command("bash " + (d / "kill.sh").string());
    INFO(r.output);
    REQUIRE_THAT(r.output, Contains("killed"));
    const double seconds = std::stod(r.output.substr(r.output.find("seconds ") + 8));
    CHECK(seconds < 15);
    const std::string job = read(d / "job.txt");
    INFO(job);
    CHECK(std::stoi(read(d / "code.txt")) != 0);
    CHECK_THAT(job, Contains("rank 1"));
    CHECK_THAT(job, Contains("signal 9"));
    // The checkpoint rank 0 wrote last is whole: a run on one process continues from it.
    const auto meta = genhost::checkpoint::Checkpoint::read((out / "checkpoint.safetensors").string()).metadata();
    CHECK(meta.at("trainer.processes") == "2");
    const int64_t step = std::stoll(meta.at("trainer.step"));
    const auto resumed = one_process("run " + (d / "p.yaml").string() + " -q --output " + out.string() +
                                 " --resume --set train.steps=" + std::to_string(step + 10));
    INFO(resumed.output);
    CHECK(resumed.code == 0);
}

TEST_CASE("validate under mpirun reports once, valid or not", "[dist][mpi]") {
    const fs::path d = dir("dist/validate");
    pipeline(d, quickstart(64), "p.yaml");
    const auto good = mpirun(2, "validate " + (d / "p.yaml").string());
    INFO(good.output);
    CHECK(good.code == 0);
    const std::string said = " is valid: ";
    const size_t first = good.output.find(said);
    CHECK(first != std::string::npos);
    CHECK(good.output.find(said, first + 1) == std::string::npos);
    // Every rank finds the same mistake; one message says it, and no MPI_Abort banner.
    const auto bad = mpirun(2, "validate " + (d / "p.yaml").string() + " --set sample.count=100000");
    INFO(bad.output);
    CHECK(bad.code != 0);
    CHECK_THAT(bad.output, Contains("lower the grid's scale"));
    CHECK(bad.output.find("rank 1") == std::string::npos);
    CHECK(bad.output.find("MPI_ABORT") == std::string::npos);
}
