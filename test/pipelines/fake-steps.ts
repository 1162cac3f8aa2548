import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PIPELINE } from '../../pipelines/definition/steps';

/**
 * One tiny Python script standing in for every step: it creates each output directory it is given, writes
 * evaluation.json (gate from FAKE_GATE) and manifest.json where the real steps would, and fails on request
 * (FAKE_FAIL=<script>) with a message on stderr, so the runner can be tested without the real steps.
 */
const FAKE = `
import json, os, sys
script = os.path.relpath(sys.argv[0], os.path.dirname(os.path.dirname(sys.argv[0])))
if os.environ.get("FAKE_FAIL") == script:
    print("boom: cannot read the input", file=sys.stderr)
    sys.exit(3)
outs = [a for a in sys.argv[1:] if "/output/" in a]
for o in outs:
    os.makedirs(o, exist_ok=True)
    name = os.path.basename(o)
    if name == "evaluation":
        gate = os.environ.get("FAKE_GATE", "pass") == "pass"
        json.dump({"common": {"complete": {"top1": 0.99}}, "gate": {"passed": gate, "reasons": [] if gate else ["common.complete.top1=0.5 is below the threshold commonTop1=0.95"]}}, open(os.path.join(o, "evaluation.json"), "w"))
    elif name == "package":
        json.dump({"schemaVersion": 1, "argv": sys.argv[1:]}, open(os.path.join(o, "manifest.json"), "w"))
    else:
        open(os.path.join(o, "done.txt"), "w").write(" ".join(sys.argv[1:]))
print(f"fake {script} ok")
`;

export function writeFakeSteps(root: string): string {
  for (const step of PIPELINE) {
    if (step.kind !== 'processing') continue;
    const path = join(root, step.script);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, FAKE);
  }
  return root;
}
