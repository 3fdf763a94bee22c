//! The plain run of a string: where it ends (`"`, `\` or a control character, serde_json's test)
//! and whether it is ASCII, found 16 or 32 bytes at a time with SSE2 through `wide` (a safe
//! API), then 8 at a time, then one at a time.

use wide::u8x16;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

#[inline(always)]
fn word(c: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(c);
    u64::from_le_bytes(w)
}

/// The high bit of each byte that is `"`, `\` or a control character (exact for the lowest
/// such byte, serde_json's test).
#[inline(always)]
fn special(w: u64) -> u64 {
    let control = w.wrapping_sub(ONES * 0x20) & !w;
    let q = w ^ (ONES * u64::from(b'"'));
    let quote = q.wrapping_sub(ONES) & !q;
    let s = w ^ (ONES * u64::from(b'\\'));
    let slash = s.wrapping_sub(ONES) & !s;
    (control | quote | slash) & HIGH
}

/// The index of the first byte that ends the plain run of a string: `"`, `\` or a control
/// character (serde_json's test); `hay.len()` when there is none. And whether the run is all
/// ASCII (false may also mean unknown). Sixteen bytes at a time with SIMD (`wide`: SSE2 on
/// x86-64), the last few eight then one at a time.
#[inline(always)]
pub(super) fn find_special(hay: &[u8]) -> (usize, bool) {
    let mut i = 0;
    let mut ascii = true;
    let mut chunks = hay.chunks_exact(32);
    for c in &mut chunks {
        let (low, high) = c.split_at(16);
        let (found_low, high_low) = special16(low);
        let (found_high, high_high) = special16(high);
        let found = found_low | found_high << 16;
        let high = high_low | high_high << 16;
        if found != 0 {
            return first(found, high, i, ascii);
        }
        ascii &= high == 0;
        i += 32;
    }
    let rest = chunks.remainder();
    let mut chunks = rest.chunks_exact(16);
    for c in &mut chunks {
        let (found, high) = special16(c);
        if found != 0 {
            return first(found, high, i, ascii);
        }
        ascii &= high == 0;
        i += 16;
    }
    find_special_slow(hay, i, ascii)
}

/// Of bytes from `i` flagged in `found` (not none) and non-ASCII in `high`: the index of the first
/// flagged one, and whether the bytes before it are ASCII (`ascii`: those before `i` are).
#[inline(always)]
fn first(found: u32, high: u32, i: usize, ascii: bool) -> (usize, bool) {
    let n = found.trailing_zeros();
    let before = (1u32 << n) - 1;
    (i + n as usize, ascii && high & before == 0)
}

/// [`find_special`] from `i`, eight bytes at a time; `ascii`: the bytes before `i` are.
#[inline(always)]
fn find_special_slow(hay: &[u8], mut i: usize, ascii: bool) -> (usize, bool) {
    let mut seen = if ascii { 0 } else { HIGH };
    let mut chunks = hay.get(i..).unwrap_or_default().chunks_exact(8);
    for c in &mut chunks {
        let w = word(c);
        seen |= w;
        let found = special(w);
        if found != 0 {
            return (i + (found.trailing_zeros() / 8) as usize, seen & HIGH == 0);
        }
        i += 8;
    }
    for &b in chunks.remainder() {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        seen |= u64::from(b);
        i += 1;
    }
    (i, seen & HIGH == 0)
}

/// Of sixteen bytes: a bit for each that is `"`, `\` or a control character, and a bit for
/// each that is not ASCII.
#[inline(always)]
fn special16(c: &[u8]) -> (u32, u32) {
    let mut a = [0u8; 16];
    a.copy_from_slice(c);
    let v = u8x16::new(a);
    let quote = v.cmp_eq(u8x16::splat(b'"'));
    let slash = v.cmp_eq(u8x16::splat(b'\\'));
    // A control character is at most 0x1f: nothing is left of it after subtracting 0x1f.
    let control = v.saturating_sub(u8x16::splat(0x1f)).cmp_eq(u8x16::splat(0));
    let found = (quote | slash | control).move_mask() as u32;
    (found & 0xffff, v.move_mask() as u32 & 0xffff)
}
