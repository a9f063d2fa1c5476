// `npm run db:seed`: the idempotent seed (first admin, demo users, demo eval set and study).
import { prisma } from "@/lib/db";
import { seed } from "@/prisma/seed";

const report = await seed({ withDemo: process.env.SEED_DEMO !== "0" });
console.log(JSON.stringify(report, null, 2));
await prisma.$disconnect();
