package main

import (
	"context"
	"os"
	"runtime/pprof"
	"time"
)

var sink int

func spin(d time.Duration) {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		for i := 0; i < 1000; i++ {
			sink += i * i
		}
	}
}

func a() { spin(300 * time.Millisecond) }
func b() { spin(200 * time.Millisecond) }

func main() {
	f, _ := os.Create("cpu.pb.gz")
	pprof.StartCPUProfile(f)
	pprof.Do(context.Background(), pprof.Labels("worker", "alpha"), func(context.Context) { a(); b() })
	pprof.Do(context.Background(), pprof.Labels("worker", "beta", "kind", "x"), func(context.Context) { b() })
	a()
	pprof.StopCPUProfile()
	f.Close()
}
