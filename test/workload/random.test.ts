import { test } from "uvu";
import * as assert from "uvu/assert";
import { MT19937 } from "../../src/workload/random/mt19937.js";
import { NumpyRandomState } from "../../src/workload/random/numpy-random-state.js";
import { numpySum } from "../../src/workload/random/numpy-sum.js";
import { PythonRandom } from "../../src/workload/random/python-random.js";
import { pythonStrHash } from "../../src/workload/random/python-str-hash.js";
import { ZipfGenerator } from "../../src/workload/random/zipf-generator.js";

// Expected values below were produced by CPython 3.11 / NumPy 2.4 / SciPy 1.17 on this machine.

test("Python random.seed(42): first two random() values", () => {
  const r = new PythonRandom(42);
  assert.is(r.random(), 0.6394267984578837);
  assert.is(r.random(), 0.025010755222666936);
});

test("Python seeding uses abs(n) split in 32-bit words (2**40+5 and -7)", () => {
  assert.is(MT19937.python(2 ** 40 + 5).random(), 0.5043802970418443);
  assert.is(MT19937.python(-7).random(), 0.32383276483316237);
});

test("Python random.uniform is a + (b - a) * random()", () => {
  const expected = 1024 + (4096 - 1024) * 0.6394267984578837;
  assert.is(new PythonRandom(42).uniform(1024, 4096), expected);
});

test("NumPy RandomState(42).random_sample() (init_genrand seeding)", () => {
  assert.is(new NumpyRandomState(42).randomSample(), 0.3745401188473625);
});

test("NumPy legacy gauss: polar Box-Muller with cached second value", () => {
  const rs = new NumpyRandomState(42);
  assert.equal([rs.gauss(), rs.gauss(), rs.gauss()], [0.4967141530112327, -0.13826430117118466, 0.6476885381006925]);
});

test("NumPy legacy standard_gamma, shape >= 1 (Marsaglia-Tsang)", () => {
  const rs = new NumpyRandomState(42);
  assert.equal(
    [rs.standardGamma(4), rs.standardGamma(4), rs.standardGamma(4)],
    [4.702413898135869, 3.4082319010143296, 3.2363247099682337],
  );
});

test("NumPy legacy standard_gamma, shape < 1 (legacy rejection sampler)", () => {
  const rs = new NumpyRandomState(42);
  assert.equal(
    [rs.standardGamma(0.5), rs.standardGamma(0.5), rs.standardGamma(0.5)],
    [0.14028030062619642, 0.6590180328421851, 0.024341816165506288],
  );
});

test("NumPy legacy permutation(10) at seed 42", () => {
  assert.equal(Array.from(new NumpyRandomState(42).permutation(10)), [8, 1, 5, 0, 7, 2, 9, 4, 3, 6]);
});

test("np.sum pairwise summation is bit-exact where a naive loop is not", () => {
  const terms = new Float64Array(3072);
  for (let i = 1; i <= 3072; i++) terms[i - 1] = 1 / Math.pow(i, 0.6);
  let naive = 0;
  for (const t of terms) naive += t;
  const bits = (x: number) => new DataView(Float64Array.of(x).buffer).getBigUint64(0, true).toString(16);
  assert.is(bits(numpySum(terms)), "404e1006a3e0fe9e"); // np.sum(1/np.power(np.arange(1,3073),0.6))
  assert.is.not(bits(naive), "404e1006a3e0fe9e");
});

test("Python 3.11 str hash under PYTHONHASHSEED=0 and =123", () => {
  assert.is(pythonStrHash("102442", 0), -4892308732185970877n);
  assert.is(pythonStrHash("abcdefghijklmnopq", 0), 7044894726457044172n);
  assert.is(pythonStrHash("102442", 123), 4413450022029613928n);
});

test("ZipfGenerator without scramble matches Vidur's (min 1, max 100, theta 0.9, seed 3)", () => {
  const z = new ZipfGenerator(1, 100, 0.9, false, 3);
  assert.equal(
    Array.from({ length: 8 }, () => z.next()),
    [16, 31, 5, 13, 66, 67, 1, 2],
  );
});

test("ZipfGenerator scramble matches Vidur run with PYTHONHASHSEED=0", () => {
  const z = new ZipfGenerator(1024, 4096, 0.6, true, 42, 0);
  assert.equal(
    Array.from({ length: 8 }, () => z.next()),
    [1057, 2164, 4064, 4033, 3066, 3066, 3090, 2843],
  );
});

test.run();
