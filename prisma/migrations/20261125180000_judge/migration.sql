-- An LLM judge is a system of its own role.
ALTER TYPE "SystemRole" ADD VALUE 'JUDGE';
