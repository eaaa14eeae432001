/** `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]`: the functions with the most self time in a CPU profile. */
import { printHotSpots, summariseProfile } from './profile';

const [file, top] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
printHotSpots(file, summariseProfile(file, Number(top ?? 25)));
