-- AlterTable
ALTER TABLE "tasks" ADD COLUMN     "lease_credential" TEXT;
