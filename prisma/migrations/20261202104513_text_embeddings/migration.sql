-- Sentence embeddings, one row per text and embedding model (lib/embeddings).
CREATE TABLE "TextEmbedding" (
    "model" TEXT NOT NULL,
    "textHash" TEXT NOT NULL,
    "dimensions" INTEGER NOT NULL,
    "vector" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TextEmbedding_pkey" PRIMARY KEY ("model","textHash")
);

-- Cosine similarity of each output to its source, per embedding model (the embedding job writes it).
CREATE TABLE "OutputSimilarity" (
    "outputId" UUID NOT NULL,
    "model" TEXT NOT NULL,
    "similarity" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "OutputSimilarity_pkey" PRIMARY KEY ("outputId","model")
);

ALTER TABLE "OutputSimilarity" ADD CONSTRAINT "OutputSimilarity_outputId_fkey" FOREIGN KEY ("outputId") REFERENCES "Output"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Prices per million tokens, for cost per 1,000 paraphrases.
ALTER TABLE "System" ADD COLUMN "inputPricePerMTokens" DOUBLE PRECISION,
ADD COLUMN "outputPricePerMTokens" DOUBLE PRECISION;

-- The judge's tokens per call, for cost.
ALTER TABLE "JudgeRating" ADD COLUMN "promptTokens" INTEGER,
ADD COLUMN "completionTokens" INTEGER;
