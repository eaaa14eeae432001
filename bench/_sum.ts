import { printHotSpots, summariseProfile } from './profile';
printHotSpots(process.argv[2]!, summariseProfile(process.argv[2]!, 25));
