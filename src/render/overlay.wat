;; An overlay's two per-pixel loops in WebAssembly SIMD (render/overlayWasm.ts loads it; `npm run
;; wasm` turns this text into the bytes in overlayWasm.bytes.ts): the heatmap's colormap indices
;; from the map's interpolated rows, and the blend. Each gives exactly what its JavaScript twin in
;; render/overlay.ts gives (tested): the same IEEE double arithmetic in the same order, and for the
;; blend the same integer formula.
(module
  (memory (export "memory") 11)

  ;; Colormap indices of output rows yFrom..yTo − 1 (`width` a row, from out), each mixing two of
  ;; the `gridH` rows already interpolated across (f64, `width` + 1 a row: the odd pixel's pair):
  ;; fy = clamp((y + 0.5)·sy − 0.5, 0, gridH − 1), y0 = floor(fy), y1 = min(y0 + 1, gridH − 1),
  ;; v = f32(rows[y0]·(1 − dy) + rows[y1]·dy), index = clamp(trunc(v·255 + 0.5), 0, 255).
  ;; Two pixels at a time; writes one byte past a row of odd width (the caller's buffer has it).
  (func (export "levels") (param $rows i32) (param $width i32) (param $gridH i32) (param $sy f64) (param $yFrom i32) (param $yTo i32) (param $out i32)
    (local $y i32) (local $x i32) (local $fy f64) (local $y0 i32) (local $y1 i32) (local $dy f64)
    (local $top i32) (local $bottom i32) (local $o i32) (local $wt v128) (local $dyv v128) (local $k v128) (local $stride i32)
    (local.set $stride (i32.shl (i32.add (local.get $width) (i32.const 1)) (i32.const 3)))
    (local.set $y (local.get $yFrom))
    (local.set $o (local.get $out))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_s (local.get $y) (local.get $yTo)))
        (local.set $fy
          (f64.min
            (f64.max
              (f64.sub (f64.mul (f64.add (f64.convert_i32_s (local.get $y)) (f64.const 0.5)) (local.get $sy)) (f64.const 0.5))
              (f64.const 0))
            (f64.convert_i32_s (i32.sub (local.get $gridH) (i32.const 1)))))
        (local.set $y0 (i32.trunc_f64_s (f64.floor (local.get $fy))))
        (local.set $dy (f64.sub (local.get $fy) (f64.floor (local.get $fy))))
        (local.set $y1 (select (i32.add (local.get $y0) (i32.const 1)) (i32.sub (local.get $gridH) (i32.const 1))
          (i32.lt_s (i32.add (local.get $y0) (i32.const 1)) (i32.sub (local.get $gridH) (i32.const 1)))))
        (local.set $wt (f64x2.splat (f64.sub (f64.const 1) (local.get $dy))))
        (local.set $dyv (f64x2.splat (local.get $dy)))
        (local.set $top (i32.add (local.get $rows) (i32.mul (local.get $y0) (local.get $stride))))
        (local.set $bottom (i32.add (local.get $rows) (i32.mul (local.get $y1) (local.get $stride))))
        (local.set $x (i32.const 0))
        (block $done
          (loop $next
            (br_if $done (i32.ge_s (local.get $x) (local.get $width)))
            (local.set $k
              (i32x4.trunc_sat_f64x2_s_zero
                (f64x2.add
                  (f64x2.mul
                    (f64x2.promote_low_f32x4
                      (f32x4.demote_f64x2_zero
                        (f64x2.add
                          (f64x2.mul (v128.load (i32.add (local.get $top) (i32.shl (local.get $x) (i32.const 3)))) (local.get $wt))
                          (f64x2.mul (v128.load (i32.add (local.get $bottom) (i32.shl (local.get $x) (i32.const 3)))) (local.get $dyv)))))
                    (f64x2.splat (f64.const 255)))
                  (f64x2.splat (f64.const 0.5)))))
            (local.set $k (i32x4.min_s (i32x4.max_s (local.get $k) (v128.const i32x4 0 0 0 0)) (v128.const i32x4 255 255 255 255)))
            (v128.store16_lane 0
              (i32.add (local.get $o) (local.get $x))
              (i8x16.narrow_i16x8_u (i16x8.narrow_i32x4_s (local.get $k) (local.get $k)) (local.get $k)))
            (local.set $x (i32.add (local.get $x) (i32.const 2)))
            (br $next)))
        (local.set $o (i32.add (local.get $o) (local.get $width)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $row))))

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
