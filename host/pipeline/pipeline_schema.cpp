// The schema of a pipeline file: every key, its type, default and meaning.
// docs/pipeline.md describes the same keys for people; a test keeps the two in step.
#include "pipeline/pipeline_schema.hpp"

namespace genhost::pipeline {

namespace {

// data.domains.a and .b: the keys that choose a dataset, as data has them but without
// defaults (a key a domain omits is data's), so that they are written once.
nlohmann::json with_domains(nlohmann::json schema) {
    nlohmann::json& data = schema["properties"]["data"]["properties"];
    nlohmann::json domain = {{"type", "object"}, {"properties", nlohmann::json::object()}};
    for (const char* key : {"dataset", "path", "split", "images", "labels", "classes", "limit", "binarize", "size",
                            "image_size"}) {
        nlohmann::json k = data.at(key);
        k.erase("default");
        domain["properties"][key] = k;
    }
    data["domains"] = {
        {"type", {"object", "null"}},
        {"default", nullptr},
        {"required", {"a", "b"}},
        {"description", "two data domains for unpaired translation (CycleGAN): {a: {dataset: fashion-mnist, classes: [7]}, "
                        "b: {...}}; each takes the keys that choose a dataset (dataset, path, split, images, labels, "
                        "classes, limit, binarize, size, image_size), the rest from data; both of one image shape, "
                        "shuffled independently; docs/data.md"},
        {"properties", {{"a", domain}, {"b", domain}}}};
    data["domains"]["properties"]["a"]["description"] = "domain a: images in, for translate direction a_to_b";
    data["domains"]["properties"]["b"]["description"] = "domain b: images in, for translate direction b_to_a";
    return schema;
}

}  // namespace

const nlohmann::json& pipeline_schema() {
    static const nlohmann::json schema = with_domains(nlohmann::json::parse(R"json(
{
  "type": "object",
  "properties": {
    "name":   {"type": "string", "description": "the run's name; default: the file name without .yaml"},
    "seed":   {"type": "integer", "minimum": 0, "default": 0, "description": "seed of every random choice in the run"},
    "threads": {"type": "integer", "minimum": 0, "maximum": 1024, "default": 0,
                "description": "busy threads in total; 0 = all cores"},
    "output": {"type": ["string", "null"], "default": null,
               "description": "the run directory; default runs/<name>"},
    "plugin_paths": {"type": "array", "items": {"type": "string"}, "default": [],
                     "description": "extra folders to search for plugins, relative to the pipeline file"},
    "data": {
      "type": "object", "default": {},
      "description": "the dataset",
      "properties": {
        "dataset": {"type": "string", "enum": ["fashion-mnist", "mnist", "idx", "images", "npy", "shapes"],
                    "default": "fashion-mnist", "description": "which reader"},
        "path":    {"type": ["string", "null"], "default": null,
                    "description": "folder or file of the data; default for fashion-mnist: /usr/share/datasets/fashion-mnist"},
        "split":   {"type": "string", "enum": ["train", "test"], "default": "train", "description": "which split to train on"},
        "images":  {"type": ["string", "null"], "default": null,
                    "description": "idx and npy: an explicit images file (instead of path and split)"},
        "labels":  {"type": ["string", "null"], "default": null,
                    "description": "idx and npy: an explicit labels file; null = none (npy) or by split (idx)"},
        "batch_size": {"type": "integer", "minimum": 1, "maximum": 65536, "default": 128, "description": "images per step"},
        "range":   {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2, "default": [0, 1],
                    "description": "pixel range the model sees: [0, 1] or [-1, 1]"},
        "limit":   {"type": "integer", "minimum": 0, "default": 0, "description": "use only the first N images; 0 = all"},
        "classes": {"type": "array", "items": {"type": "integer", "minimum": 0}, "default": [],
                    "description": "train only on these labels; [] = all"},
        "shuffle": {"type": "boolean", "default": true, "description": "reshuffle every epoch (from the run seed)"},
        "binarize": {"type": "boolean", "default": false,
                     "description": "threshold every pixel (x > 0.5 -> 1, else 0, before data.range), training and test images alike; for binarized-MNIST models"},
        "size":    {"type": "integer", "minimum": 1, "default": 2048, "description": "shapes only: number of images"},
        "image_size": {"type": "integer", "minimum": 8, "maximum": 256, "default": 28,
                       "description": "shapes only: image height and width"},
        "encode_with": {"type": ["string", "null"], "default": null,
                        "description": "a component that encodes images: a VQ-VAE (genhost.quantizer/1), whose code maps the model trains on as K-level images, or a VAE with spatial latents, whose latents scaled to unit variance a diffusion U-Net trains on (latent diffusion); the dataset is encoded once per run; docs/two-stage.md"}
      }
    },
    "model": {
      "type": "object",
      "description": "the model plugin",
      "required": ["plugin"],
      "properties": {
        "plugin": {"type": "string", "description": "plugin id or short name, e.g. vae or org.genhost.vae"},
        "params": {"type": "object", "additionalProperties": true, "default": {},
                   "description": "the plugin's parameters; `genhost info PLUGIN` lists them"},
        "checkpoint": {"type": ["string", "null"], "default": null,
                       "description": "load weights from this checkpoint before the stages run"}
      }
    },
    "components": {
      "type": "object", "default": {},
      "description": "named trained models beside model, e.g. {judge: {plugin: classifier, checkpoint: runs/judge-fashion/checkpoint.safetensors}}; stages refer to them by name",
      "additionalProperties": {
        "type": "object", "required": ["checkpoint"],
        "properties": {
          "plugin": {"type": "string", "description": "model plugin id or short name; default: the one the checkpoint was written by"},
          "params": {"type": "object", "additionalProperties": true, "default": {},
                     "description": "its parameters; default: the checkpoint's (given ones must agree with it)"},
          "checkpoint": {"type": "string", "description": "the trained weights (a genhost checkpoint)"}}}
    },
    "scheduler": {
      "type": "object",
      "description": "diffusion only: the noise schedule and sampler",
      "required": ["plugin"],
      "properties": {
        "plugin": {"type": "string", "description": "scheduler plugin id or short name, e.g. ddpm"},
        "params": {"type": "object", "additionalProperties": true, "default": {}, "description": "its parameters"}
      }
    },
    "train": {
      "type": "object",
      "description": "the training stage; absent = no training",
      "properties": {
        "epochs": {"type": ["number", "null"], "minimum": 0, "maximum": 1000000, "default": null,
                   "description": "passes over the data (fractions allowed); default 1 when steps is not given"},
        "steps":  {"type": ["integer", "null"], "minimum": 0, "maximum": 1000000000000, "default": null,
                   "description": "training steps (each runs every phase as train.phases says); overrides epochs; 0 = train nothing"},
        "optimizer": {"type": "object", "additionalProperties": true,
                      "default": {"type": "adam", "lr": 0.001},
                      "description": "e.g. {type: adam, lr: 1e-3}; docs/optimizers.md lists every key"},
        "optimizers": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": true},
                       "description": "one optimizer per parameter group, e.g. {generator: {type: adam, lr: 2e-4}}; groups not named use optimizer"},
        "phases": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0},
                   "description": "times each phase runs per step, e.g. {discriminator: 5, generator: 1}; default 1 each"},
        "lr_schedule": {"type": ["object", "null"], "additionalProperties": true, "default": null,
                        "description": "{type: constant | linear_warmup | cosine | step | linear_decay, ...}, counted in each group's optimizer steps; docs/optimizers.md"},
        "grad_clip": {"type": "number", "minimum": 0, "default": 0,
                      "description": "clip gradients to this global L2 norm; 0 = off"},
        "ema": {"type": ["object", "null"], "additionalProperties": true, "default": null,
                "description": "exponential moving average of the weights, e.g. {decay: 0.999}; used for sampling"},
        "log_every": {"type": "integer", "minimum": 1, "default": 50, "description": "steps between log lines"},
        "checkpoint_every": {"type": "integer", "minimum": 0, "default": 1000,
                             "description": "steps between checkpoints; 0 = only at the end"},
        "sample_every": {"type": "integer", "minimum": 0, "default": 0,
                         "description": "steps between progress grids in <output>/progress/; 0 = none"},
        "evaluate_every": {"type": "integer", "minimum": 0, "default": 0,
                           "description": "steps between scores of evaluate.metrics (on evaluate.during_training samples) logged in train_log.csv; 0 = none"}
      }
    },
    "sample": {
      "type": "object",
      "description": "the sampling stage; absent = no sampling",
      "properties": {
        "count":  {"type": "integer", "minimum": 0, "maximum": 100000, "default": 64, "description": "images to draw (0: no sample stage; the section then only picks the sampler for inpaint)"},
        "seed":   {"type": ["integer", "null"], "minimum": 0, "default": null, "description": "default: the run seed"},
        "labels": {"type": "array", "items": {"type": "integer", "minimum": 0}, "default": [],
                   "description": "class of each image, repeated to fill count (conditional models)"},
        "batch_size": {"type": "integer", "minimum": 1, "default": 64, "description": "images per generate call"},
        "steps":  {"type": ["integer", "null"], "minimum": 1, "maximum": 100000, "default": null,
                   "description": "diffusion only: sampling steps; default the scheduler's num_inference_steps"},
        "guidance_scale": {"type": "number", "minimum": 0, "default": 1.0,
                           "description": "diffusion only: classifier-free guidance scale; 1 = off"},
        "decode_with": {"type": ["string", "null"], "default": null,
                        "description": "the component that decodes the model's samples (code or latent maps) to images before grids, samples.npy and metrics; docs/two-stage.md"},
        "temperature": {"type": "number", "minimum": 0, "maximum": 100, "default": 1.0,
                        "description": "autoregressive only: each position drawn from softmax(logits / temperature); 1 = the model, below 1 sharper, 0 = the most likely level"},
        "scheduler": {"type": "object", "required": ["plugin"],
                      "description": "diffusion only: sample with this scheduler instead of the pipeline's",
                      "properties": {
                        "plugin": {"type": "string", "description": "scheduler plugin id or short name"},
                        "params": {"type": "object", "additionalProperties": true, "default": {},
                                   "description": "its parameters"}}},
        "compare": {"type": "array", "default": [],
                    "description": "diffusion only: also sample with each of these schedulers from the same noise, into samples_<name>.png, with timings in metrics.json",
                    "items": {"type": ["string", "object"],
                              "properties": {
                                "plugin": {"type": "string", "description": "scheduler plugin id or short name"},
                                "params": {"type": "object", "additionalProperties": true, "default": {},
                                           "description": "its parameters"}}}},
        "grid": {"type": "object", "default": {}, "description": "the samples.png grid",
                 "properties": {
                   "columns": {"type": "integer", "minimum": 1, "default": 8, "description": "images per row"},
                   "padding": {"type": "integer", "minimum": 0, "default": 2, "description": "pixels between images"},
                   "scale": {"type": "integer", "minimum": 0, "maximum": 64, "default": 0,
                             "description": "enlarge every grid of the run (samples, progress, reconstructions, interpolations, completions) by this whole factor, nearest neighbour; 0 = auto: images at least 64 pixels on a side (3x for 28x28)"}}}
      }
    },
    "reconstruct": {
      "type": "object",
      "description": "test images beside their reconstructions (models with a latent space); absent = none",
      "properties": {
        "count": {"type": "integer", "minimum": 1, "maximum": 1024, "default": 32, "description": "test images"},
        "columns": {"type": "integer", "minimum": 1, "default": 8, "description": "images per row"}
      }
    },
    "interpolate": {
      "type": "object",
      "description": "walks through the latent space between pairs of test images (or prior samples); absent = none",
      "properties": {
        "pairs": {"type": "integer", "minimum": 1, "maximum": 256, "default": 8, "description": "rows: one pair each"},
        "steps": {"type": "integer", "minimum": 2, "maximum": 64, "default": 10, "description": "images per row"},
        "method": {"type": "string", "enum": ["slerp", "lerp"], "default": "slerp",
                   "description": "spherical (keeps codes at the prior's norm) or linear interpolation"}
      }
    },
    "style_mixing": {
      "type": "object",
      "description": "style-based generators (genhost.style/1): a grid whose image (r, c) takes its coarse layers' styles from row r's source and its fine layers' from column c's, sources along the top and down the left; absent = none",
      "properties": {
        "rows": {"type": "integer", "minimum": 1, "maximum": 64, "default": 5, "description": "row sources (their coarse styles)"},
        "columns": {"type": "integer", "minimum": 1, "maximum": 64, "default": 6, "description": "column sources (their fine styles)"},
        "coarse_layers": {"type": ["integer", "null"], "minimum": 1, "default": null,
                          "description": "style layers taken from the row source, from the coarsest; the rest come from the column source; null = half of them"},
        "psi": {"type": "number", "minimum": -2, "maximum": 2, "default": 1.0, "description": "truncation of every source's w: w_avg + psi (w - w_avg)"},
        "noise_seed": {"type": "integer", "minimum": 0, "default": 0, "description": "the per-layer noise, the same in every image"}
      }
    },
    "truncation": {
      "type": "object",
      "description": "style-based generators (genhost.style/1): prior samples (rows) at each psi (columns) of w_avg + psi (w - w_avg); absent = none",
      "properties": {
        "rows": {"type": "integer", "minimum": 1, "maximum": 64, "default": 6, "description": "prior samples"},
        "psi": {"type": "array", "minItems": 1, "maxItems": 64, "items": {"type": "number", "minimum": -2, "maximum": 2},
                "default": [1.0, 0.7, 0.5, 0.25, 0.0, -0.5], "description": "the psi of each column"},
        "noise_seed": {"type": "integer", "minimum": 0, "default": 0, "description": "the per-layer noise, the same in every image"}
      }
    },
    "interpolate_w": {
      "type": "object",
      "description": "style-based generators (genhost.style/1): linear walks in W between the ws of pairs of prior samples; absent = none",
      "properties": {
        "pairs": {"type": "integer", "minimum": 1, "maximum": 256, "default": 8, "description": "rows: one pair each"},
        "steps": {"type": "integer", "minimum": 2, "maximum": 64, "default": 10, "description": "images per row"},
        "psi": {"type": "number", "minimum": -2, "maximum": 2, "default": 1.0, "description": "truncation of both ends"},
        "noise_seed": {"type": "integer", "minimum": 0, "default": 0, "description": "the per-layer noise, the same in every image"}
      }
    },
    "inpaint": {
      "type": "object",
      "description": "diffusion only: fill masked regions of test images (RePaint); absent = none",
      "properties": {
        "count": {"type": "integer", "minimum": 1, "maximum": 1024, "default": 16, "description": "test images"},
        "mask": {"type": "string", "enum": ["center", "left", "bottom", "random"], "default": "center",
                 "description": "the region to fill: a central square, the left or bottom half, or random 4x4 blocks"},
        "resample": {"type": "integer", "minimum": 1, "maximum": 50, "default": 1,
                     "description": "RePaint's r: each step repeated r times with re-noising in between (needs ddpm or ddim)"},
        "columns": {"type": "integer", "minimum": 1, "default": 8, "description": "images per row"}
      }
    },
    "complete": {
      "type": "object",
      "description": "autoregressive only: keep the known pixels of test images and sample the rest; absent = none",
      "properties": {
        "count": {"type": "integer", "minimum": 1, "maximum": 1024, "default": 8, "description": "test images"},
        "mask": {"type": "string", "enum": ["bottom", "right", "bottom_right", "center"], "default": "bottom",
                 "description": "the region to sample: the bottom or right half, the bottom-right quarter, or a central square"},
        "samples": {"type": "integer", "minimum": 1, "maximum": 16, "default": 3,
                    "description": "completions of each image, one row each"},
        "columns": {"type": "integer", "minimum": 1, "default": 8, "description": "images per row"}
      }
    },
    "translate": {
      "type": "object",
      "description": "translation models (genhost.translator/1, trained on data.domains): test images of the source domain above their translations and the translations translated back; translate_<direction>.png",
      "properties": {
        "count": {"type": "integer", "minimum": 1, "maximum": 4096, "default": 16,
                  "description": "test images of the source domain (of its classes) to translate"},
        "direction": {"type": "string", "enum": ["a_to_b", "b_to_a", "both"], "default": "both",
                      "description": "a_to_b, b_to_a, or both (one grid each)"},
        "columns": {"type": "integer", "minimum": 1, "maximum": 256, "default": 8,
                    "description": "images per row; each block of three rows shows inputs, translations, reconstructions"},
        "scale": {"type": "integer", "minimum": 0, "maximum": 64, "default": 0,
                  "description": "enlarge each image this many times (nearest neighbour); 0 = sample.grid.scale"}
      }
    },
    "evaluate": {
      "type": "object",
      "description": "the evaluation stage; absent = no evaluation",
      "properties": {
        "likelihood": {"type": "object", "default": {},
                       "description": "test-set likelihood report: exact from the logits of autoregressive models, else from genhost.likelihood/1 (labelled exact or bound)",
                       "properties": {
                         "count": {"type": "integer", "minimum": 0, "default": 2000,
                                   "description": "test images scored; 0 = the whole test split"},
                         "iw_samples": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 64,
                                        "description": "K of the importance-weighted bound (the ELBO is K = 1); unused by exact likelihoods"}}},
        "anomaly": {"type": "boolean", "default": true,
                    "description": "when data.classes trains on some classes: score every test image by its negative bound and report the AUROC of the other classes against them"},
        "metrics": {"type": "array", "default": [],
                    "description": "metric plugins: a name, or {plugin: NAME, params: {...}}",
                    "items": {"type": ["string", "object"],
                              "properties": {
                                "plugin": {"type": "string", "description": "metric plugin id or short name"},
                                "params": {"type": "object", "additionalProperties": true, "default": {},
                                           "description": "its parameters"}}}},
        "count": {"type": "integer", "minimum": 2, "maximum": 100000, "default": 1000,
                  "description": "generated images scored, against as many of the test split"},
        "during_training": {"type": "integer", "minimum": 2, "maximum": 100000, "default": 500,
                            "description": "images scored at each train.evaluate_every"},
        "scheduler": {"type": "object", "required": ["plugin"],
                      "description": "diffusion only: sample the scored images with this scheduler (e.g. DDIM-50) instead of the sample stage's",
                      "properties": {
                        "plugin": {"type": "string", "description": "scheduler plugin id or short name"},
                        "params": {"type": "object", "additionalProperties": true, "default": {},
                                   "description": "its parameters"}}},
        "features": {"type": ["string", "null"], "default": null,
                     "description": "the component whose features the metrics compare (a model with genhost.embedder/1); null = the dataset's judge, trained once and cached"},
        "judge_steps": {"type": "integer", "minimum": 1, "maximum": 1000000, "default": 1000,
                        "description": "training steps of the dataset's judge when none is cached yet"}
      }
    }
  },
  "required": ["model"]
}
)json"));
    return schema;
}

}  // namespace genhost::pipeline
