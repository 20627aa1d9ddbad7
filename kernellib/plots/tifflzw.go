package plots

// TIFF's LZW (TIFF 6.0, Adobe 1992, §13 "LZW Compression"): codes of 9 to
// 12 bits packed most significant bit first, Clear = 256, EndOfInformation
// = 257, the first string code 258, and — unlike GIF and Go's
// compress/lzw — the code width grows one code early ("early change"): as
// soon as the table's next free entry exceeds 2^width − 1 after an entry is
// added, the following code is written one bit wider. When the next free
// entry would be 4094 the encoder writes Clear and starts a new table.
// This follows libtiff's tif_lzw.c (LZWEncode, LZWPostEncode), whose
// decoder and golang.org/x/image/tiff/lzw read it.

const (
	lzwClear    = 256
	lzwEOI      = 257
	lzwFirst    = 258
	lzwMinWidth = 9
	lzwMaxWidth = 12
	lzwLimit    = 1<<lzwMaxWidth - 2 // 4094: the table is full here
)

// lzwBits packs codes most significant bit first.
type lzwBits struct {
	out   []byte
	acc   uint32
	nbits uint
}

func (b *lzwBits) put(code uint32, width uint) {
	b.acc = b.acc<<width | code
	b.nbits += width
	for b.nbits >= 8 {
		b.nbits -= 8
		b.out = append(b.out, byte(b.acc>>b.nbits))
	}
	b.acc &= 1<<b.nbits - 1
}

func (b *lzwBits) flush() []byte {
	if b.nbits > 0 {
		b.out = append(b.out, byte(b.acc<<(8-b.nbits)))
		b.acc, b.nbits = 0, 0
	}
	return b.out
}

// lzwEncoder holds the string table: the code of the string (prefix code,
// next byte) at index prefix<<8 | byte, valid when its generation is the
// current one (so that Clear costs nothing).
type lzwEncoder struct {
	code []uint16
	gen  []uint16
	cur  uint16
}

func newLZWEncoder() *lzwEncoder {
	return &lzwEncoder{code: make([]uint16, 1<<20), gen: make([]uint16, 1<<20)}
}

func (e *lzwEncoder) reset() {
	e.cur++
	if e.cur == 0 { // generations wrapped: clear for real
		clear(e.gen)
		e.cur = 1
	}
}

// encode compresses src as one TIFF LZW stream (one strip): Clear, the
// codes, EndOfInformation.
func (e *lzwEncoder) encode(src []byte) []byte {
	var bw lzwBits
	width := uint(lzwMinWidth)
	bw.put(lzwClear, width)
	e.reset()
	if len(src) == 0 {
		bw.put(lzwEOI, width)
		return bw.flush()
	}
	next := uint32(lzwFirst)
	// grow is libtiff's step after a code is written and the entry next
	// added: the next free entry moves on; at the limit the table is
	// cleared, otherwise the width grows when that entry would not fit.
	grow := func() {
		next++
		if next == lzwLimit {
			bw.put(lzwClear, width)
			e.reset()
			next, width = lzwFirst, lzwMinWidth
			return
		}
		if next > 1<<width-1 {
			width++
		}
	}
	prefix := uint32(src[0])
	for _, c := range src[1:] {
		k := prefix<<8 | uint32(c)
		if e.gen[k] == e.cur {
			prefix = uint32(e.code[k])
			continue
		}
		bw.put(prefix, width)
		e.code[k], e.gen[k] = uint16(next), e.cur
		grow()
		prefix = uint32(c)
	}
	bw.put(prefix, width)
	grow()
	bw.put(lzwEOI, width)
	return bw.flush()
}
