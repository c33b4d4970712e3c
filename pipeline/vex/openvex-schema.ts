import { z } from 'zod';
import { VEX_JUSTIFICATIONS } from './rule.ts';

// OpenVEX (https://github.com/openvex/spec), the parts DockPeek reads. Other fields of the spec
// (supplier, hashes, identifiers, …) are allowed and ignored.

const Text = z.string().max(10_000);

/** The vulnerability of a statement: `{ name, aliases }`, or a bare id (OpenVEX before 0.2). */
const VulnerabilitySchema = z.union([
  z.string().min(1),
  z.looseObject({
    /** The id scanners report: CVE-…, GHSA-…. */
    name: z.string().min(1),
    aliases: z.array(z.string().min(1)).optional(),
  }),
]);

/** A product: an image (pkg:oci, pkg:docker) optionally narrowed to packages, or a package. */
const ProductSchema = z.looseObject({
  '@id': z.string().min(1),
  subcomponents: z.array(z.looseObject({ '@id': z.string().min(1) })).optional(),
});

/** One statement; status is checked apart so an unknown one gets its own code. */
export const StatementSchema = z.looseObject({
  vulnerability: VulnerabilitySchema,
  products: z.array(ProductSchema).min(1, 'needs at least one product'),
  status: z.string(),
  justification: z.enum(VEX_JUSTIFICATIONS).optional(),
  impact_statement: Text.optional(),
  action_statement: Text.optional(),
  status_notes: Text.optional(),
  timestamp: z.string().optional(),
});

/** An OpenVEX document. */
export const OpenVexSchema = z.looseObject({
  '@context': z.string().startsWith('https://openvex.dev/ns', 'is not an OpenVEX context'),
  '@id': z.string().min(1),
  author: z.string().min(1),
  timestamp: z.string(),
  statements: z.array(StatementSchema),
});
