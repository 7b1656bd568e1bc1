/** `emulator`: the bundled BigCommerce API emulator as a standalone server. */
export { runEmulatorCommand as run } from "../emulator/index.ts";
