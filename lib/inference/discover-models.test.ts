import { mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { discoverModels, findModel } from "./discover-models";
import { countOnnxParameters } from "./count-parameters";
import { SHIPPED_MODELS_DIR, STUDENT, studentCopyWithout } from "./testing/fixtures";

const manifest = JSON.parse(readFileSync(path.join(SHIPPED_MODELS_DIR, STUDENT, "manifest.json"), "utf8"));

describe("discoverModels", () => {
  it("lists the shipped student with its parameter count, cache and prefix", async () => {
    const { models } = await discoverModels(SHIPPED_MODELS_DIR);
    const student = models.find((m) => m.name === STUDENT);
    expect(student).toMatchObject({
      kind: "student",
      parameterCount: manifest.parameterCount,
      parameterCountSource: "manifest",
      hasKvCache: true,
      hasPlainDecoder: true,
      taskPrefix: "paraphrase: ",
      decoderStartTokenId: 0,
      eosTokenId: 1,
    });
    // Only the files that run: not the reference decodes or the manifest beside them
    const running = ["encoder_model.onnx", "decoder_model.onnx", "decoder_with_past_model.onnx", "config.json"];
    running.push("generation_config.json", "tokenizer.json", "tokenizer_config.json");
    expect(student!.runFiles.sort()).toEqual(running.sort());
    expect(student!.sizeOnDiskBytes).toBe(running.reduce((a, f) => a + manifest.files[f], 0));
  });

  it("reads an ONNX file's parameters once per version of the file", async () => {
    const copy = studentCopyWithout([]);
    try {
      const file = path.join(copy.dir, STUDENT, "encoder_model.onnx");
      const when = new Date("2026-01-01T00:00:00Z"); // whole seconds: restorable exactly
      utimesSync(file, when, when);
      const first = await countOnnxParameters(file);
      expect(first).toBe(manifest.parameterBreakdown.encoder);
      // Same path, same size and mtime: remembered (the bytes here no longer parse, so a reread would throw)
      writeFileSync(file, Buffer.alloc(statSync(file).size, 0xff));
      utimesSync(file, when, when);
      expect(await countOnnxParameters(file)).toBe(first);
      // A changed file is read again
      writeFileSync(file, readFileSync(path.join(SHIPPED_MODELS_DIR, STUDENT, "decoder_model.onnx")));
      expect(await countOnnxParameters(file)).not.toBe(first);
    } finally {
      copy.cleanup();
    }
  });

  it("reads parameter counts from the ONNX initializers when there is no manifest", async () => {
    // The encoder file holds exactly the encoder's weights (embeddings included)
    expect(await countOnnxParameters(path.join(SHIPPED_MODELS_DIR, STUDENT, "encoder_model.onnx"))).toBe(
      manifest.parameterBreakdown.encoder,
    );
    const copy = studentCopyWithout(["manifest.json"]);
    try {
      const info = await findModel(STUDENT, copy.dir);
      expect(info!.parameterCountSource).toBe("onnx-initializers");
      // Tied input/output embeddings are stored in both files and twice in the decoder: counted once
      expect(info!.parameterCount).toBe(manifest.parameterCount);
    } finally {
      copy.cleanup();
    }
  });

  it("reports an incomplete folder with what it lacks, and skips folders that are not models", async () => {
    const copy = studentCopyWithout(["decoder_model.onnx", "tokenizer.json"]);
    try {
      mkdirSync(path.join(copy.dir, "notes"));
      writeFileSync(path.join(copy.dir, "notes", "readme.txt"), "not a model");
      const result = await discoverModels(copy.dir);
      expect(result.models).toEqual([]);
      expect(result.incomplete).toEqual([
        {
          name: STUDENT,
          path: path.join(copy.dir, STUDENT),
          missing: ["tokenizer.json", "decoder_model.onnx (or decoder_model_merged.onnx)"],
        },
      ]);
      expect(await findModel(STUDENT, copy.dir)).toBeNull();
    } finally {
      copy.cleanup();
    }
  });

  it("marks a model without the with-past decoder as having no KV cache", async () => {
    const copy = studentCopyWithout(["decoder_with_past_model.onnx"]);
    try {
      const { models } = await discoverModels(copy.dir);
      expect(models.map((m) => [m.name, m.hasKvCache])).toEqual([[STUDENT, false]]);
    } finally {
      copy.cleanup();
    }
  });

  it("finds a folder whose own name ends in parentheses", async () => {
    const copy = studentCopyWithout([]);
    try {
      renameSync(path.join(copy.dir, STUDENT), path.join(copy.dir, "student (v2)"));
      expect((await findModel("student (v2)", copy.dir))?.name).toBe("student (v2)");
      expect(await findModel("student (int8)", copy.dir)).toBeNull();
    } finally {
      copy.cleanup();
    }
  });

  it("returns nothing for a missing directory and refuses path tricks in names", async () => {
    expect(await discoverModels(path.join(SHIPPED_MODELS_DIR, "no-such-dir"))).toEqual({ models: [], incomplete: [] });
    expect(await findModel(`../models/${STUDENT}`, SHIPPED_MODELS_DIR)).toBeNull();
  });
});
