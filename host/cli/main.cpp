// genhost: runs generative-model pipelines built from plugins.
#include <algorithm>
#include <iostream>
#include <string>

#include <genhost/version.h>

#include "cli/commands.hpp"
#include "compare/child.hpp"
#include "dist/world.hpp"
#include "util/blas_env.hpp"
#include "util/error.hpp"
#include "util/stop_signal.hpp"

namespace {

const char* const kUsage =
    "genhost " GENHOST_VERSION " - generative models as plugins\n"
    "\n"
    "Usage: genhost COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  run PIPELINE.yaml       run a pipeline's stages (train, sample, ..., evaluate)\n"
    "  validate PIPELINE.yaml  check a pipeline without running it\n"
    "  plugins                 list the plugins found\n"
    "  info PLUGIN             describe a plugin and its parameters\n"
    "  check PLUGIN | --all    exercise plugins through the ABI and report violations\n"
    "  score IMAGES            FID, IS, KID, precision/recall of images (.npy or PNG folder)\n"
    "  new KIND NAME           start a plugin project (KIND: scheduler, metric, model)\n"
    "  compare FILE.yaml       train each family at one budget, write report.html (docs/comparison.md)\n"
    "\n"
    "Options:\n"
    "  -h, --help              show this help (also after a command: genhost run --help)\n"
    "  --version               show the version\n"
    "\n"
    "Plugins are found in the plugin folder next to the program, then GENHOST_PLUGIN_PATH,\n"
    "--plugin-path and the pipeline's plugin_paths. Docs: docs/pipeline.md, docs/plugin-guide.md.";

// The command that continues a run stopped by a signal: the same one, with --resume.
std::string resume_command(const std::string& command, const genhost::cli::Args& args) {
    genhost::cli::Args all = {command};
    all.insert(all.end(), args.begin(), args.end());
    const bool resumes = std::find(args.begin(), args.end(), "--resume") != args.end();
    // Only `run` takes --resume; other commands that train (score's judge, compare) continue
    // the interrupted training when run again as they were.
    return genhost::compare::command_line(all) + (resumes || command != "run" ? "" : " --resume");
}

// The command, run on this process; under mpirun, on every rank of the job.
int run(const std::string& command, const genhost::cli::Args& args) {
    using namespace genhost::cli;
    namespace dist = genhost::dist;
    // Under mpirun, rank 0 reports what every rank met; the others end quietly.
    const bool reports = dist::world().root();
    try {
        if (command == "-h" || command == "--help" || command == "help") {
            std::cout << kUsage << "\n";
            return 0;
        }
        if (command == "--version" || command == "version") {
            std::cout << "genhost " GENHOST_VERSION " (plugin ABI " << GENHOST_ABI_VERSION_MAJOR << "."
                      << GENHOST_ABI_VERSION_MINOR << "; data parallelism with MPI: "
                      << (dist::built_with_mpi() ? "yes" : "no, install libopenmpi-dev and rebuild") << ")\n";
            return 0;
        }
        if (command == "run") return run_command(args);
        if (command == "validate") return validate_command(args);
        if (command == "plugins") return plugins_command(args);
        if (command == "info") return info_command(args);
        if (command == "check") return check_command(args);
        if (command == "score") return score_command(args);
        if (command == "new") return new_command(args);
        if (command == "compare") return compare_command(args);
        std::cerr << "genhost: unknown command '" << command << "'\n\n" << kUsage << "\n";
        return 2;
    } catch (const genhost::StopRequested& e) {  // every rank stops at the same step
        if (reports)
            std::cerr << "genhost: " << e.what() << "\nto continue: " << (dist::world().parallel() ? "mpirun ... " : "")
                      << resume_command(command, args) << "\n";
        dist::barrier();  // rank 0 has written its checkpoint and said how to continue
        return e.exit_code();
    } catch (const dist::CollectiveError& e) {  // every rank met it: no one waits
        if (e.report()) std::cerr << "genhost: error: " << e.what() << std::endl;
        dist::barrier();  // no rank exits (and so ends the job) before the reports are out
        return 1;
    } catch (const genhost::Error& e) {
        std::cerr << "genhost: error: " << dist::rank_prefix() << e.what() << "\n";
        // This rank alone: the others may wait in a collective, so the job ends now.
        if (dist::world().parallel()) dist::abort(1);
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "genhost: internal error: " << dist::rank_prefix() << e.what() << "\n";
        if (dist::world().parallel()) dist::abort(1);
        return 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << kUsage << "\n";
        return 2;
    }
    genhost::choose_blas_kernels();  // before any plugin loads OpenBLAS
    try {
        genhost::dist::init(argc, argv);
    } catch (const genhost::Error& e) {
        std::cerr << "genhost: error: " << e.what() << "\n";
        return 1;
    }
    const int code = run(argv[1], genhost::cli::Args(argv + 2, argv + argc));
    genhost::dist::finalize();
    return code;
}
