;; The overlay blend in WebAssembly SIMD (render/blendWasm.ts loads it; `npm run wasm` turns this
;; text into the bytes in blendWasm.bytes.ts). Eight channels at a time, with the same integer
;; formula as the JavaScript table (render/overlay.ts, mixRow): b + ((h − b)·A + 2^14) >> 15,
;; A = alpha in 1/32768ths, which is what i16x8.q15mulr_sat_s computes.
(module
  (memory (export "memory") 10)

  ;; dst[i] = colours[levels[i]] for i < n: the heatmap's RGBA words from its colormap indices.
  (func (export "colour") (param $levels i32) (param $colours i32) (param $dst i32) (param $n i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store
          (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2)))
          (i32.load (i32.add (local.get $colours) (i32.shl (i32.load8_u (i32.add (local.get $levels) (local.get $i))) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; dst = src + ((dst − src)·a + 2^14) >> 15 on each RGB byte, alpha 255, over `bytes` bytes
  ;; (a multiple of 16: the caller's buffers are padded).
  (func (export "mix") (param $src i32) (param $dst i32) (param $bytes i32) (param $a i32)
    (local $p i32) (local $av v128) (local $s v128) (local $h v128) (local $lo v128) (local $hi v128)
    (local.set $av (i16x8.splat (local.get $a)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $bytes)))
        (local.set $s (v128.load (i32.add (local.get $src) (local.get $p))))
        (local.set $h (v128.load (i32.add (local.get $dst) (local.get $p))))
        (local.set $lo (i16x8.extend_low_i8x16_u (local.get $s)))
        (local.set $lo (i16x8.add (local.get $lo)
          (i16x8.q15mulr_sat_s (i16x8.sub (i16x8.extend_low_i8x16_u (local.get $h)) (local.get $lo)) (local.get $av))))
        (local.set $hi (i16x8.extend_high_i8x16_u (local.get $s)))
        (local.set $hi (i16x8.add (local.get $hi)
          (i16x8.q15mulr_sat_s (i16x8.sub (i16x8.extend_high_i8x16_u (local.get $h)) (local.get $hi)) (local.get $av))))
        (v128.store (i32.add (local.get $dst) (local.get $p))
          (v128.or (i8x16.narrow_i16x8_u (local.get $lo) (local.get $hi))
            (v128.const i32x4 0xff000000 0xff000000 0xff000000 0xff000000)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))))
