// Types of make_shapes_folder.mjs for the TypeScript tests that draw their images with it.
export declare const SHAPES: readonly string[];
export declare const FACING_SHAPES: readonly string[];
export declare function drawShape(shape: string, size: number, random: () => number, facing?: boolean): Uint8Array;
export declare function writeShapesFolder(root: string, options?: { perClass?: number; size?: number; seed?: number; facing?: boolean }): Promise<number>;
export declare function shapesCifarBatch(options?: { perClass?: number; seed?: number }): Uint8Array;
