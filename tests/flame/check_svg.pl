#!/usr/bin/perl
# check_svg.pl MODE FOLDED SVG: checks a heapflame SVG against a pprof
# folded golden. MODE: flame | icicle | reverse, + "all" when nothing may be
# left out (--minwidth=0). Prints problems; exits 1 if any.
use strict;
use warnings;

my ($mode, $folded, $svg) = @ARGV;
my $reverse = $mode =~ /reverse/;
my $icicle = $mode =~ /icicle/;
my $all = $mode =~ /all/;

# expected: value of every path (frames joined by NUL), and the total
my (%want, %id, $total);
my $nid = 0;
open(my $fh, '<:raw', $folded) or die "$folded: $!";
while (my $line = <$fh>) {
    chomp $line;
    my $sp = rindex($line, ' ');
    my ($stack, $v) = (substr($line, 0, $sp), substr($line, $sp + 1));
    my @fr = split /;/, $stack, -1;
    @fr = reverse @fr if $reverse;
    $total += $v;
    # a path is a node id: id of (parent id, name), so keys stay short
    my $node = 0;
    for my $f (@fr) {
        my $k = "$node\0$f";
        $node = ($id{$k} //= ++$nid);
        $want{$node} += $v;
    }
}
close $fh;

sub unxml {
    my $s = shift;
    $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g; $s =~ s/&apos;/'/g;
    $s =~ s/&#x([0-9A-Fa-f]+);/chr(hex($1))/ge;
    $s =~ s/&amp;/&/g;
    return $s;
}

open(my $sv, '<:raw', $svg) or die "$svg: $!";
my ($height, $minvalue, $omitted, $width, $comment_omitted);
my @frames;
while (my $line = <$sv>) {
    if ($line =~ /^<svg .*width="(\d+)" height="(\d+)".*data-hf-omitted="(\d+)" data-hf-minvalue="(\d+)"/) {
        ($width, $height, $omitted, $minvalue) = ($1, $2, $3, $4);
    }
    if ($line =~ /^<!-- heapflame \S+: (\d+) frames; (\d+) frames narrower than/) {
        $comment_omitted = $2;
    }
    next unless $line =~ /^<g data-v="(\d+)"[^>]*><title>(.*)<\/title><rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="(\d+)"/;
    my ($v, $title, $x, $y, $w) = ($1, $2, $3, $4, $5);
    my $cut = rindex($title, ' (');
    push @frames, { v => $v, name => unxml(substr($title, 0, $cut)), x => $x, y => $y, w => $w };
}
close $sv;

my @problems;
sub problem { push @problems, shift if @problems < 20; }

problem("no frames") unless @frames;
problem("no svg header") unless defined $minvalue;
$total //= 0;
my $root = $frames[0];
problem("root value $root->{v} != total $total") unless $root->{v} == $total;
problem("root is not 'all'") unless $root->{name} eq 'all';
my $per_px = ($width - 20) / ($total || 1);

my (@path, @pid, @px, @pw, %seen);
$pid[0] = 0;
my $drawn = 0;
for my $f (@frames) {
    my $d = ($icicle ? $f->{y} - $root->{y} : $root->{y} - $f->{y}) / 16;
    if ($d != int($d)) { problem("frame $f->{name} at y $f->{y} is off the rows"); next; }
    next if $d == 0;
    $drawn++;
    if ($d > @path + 0 + 0 && $d - 1 > $#path + 1) { problem("frame $f->{name} has no parent row"); next; }
    $#path = $d - 2;
    push @path, $f->{name};
    $#pid = $d - 1;
    my $key = $id{($pid[$d - 1] // 0) . "\0" . $f->{name}};
    $pid[$d] = $key // -1;
    $key //= -1;
    problem("path drawn twice (siblings not merged): " . join(';', @path)) if $key >= 0 && $seen{$key}++;
    my $exp = $want{$key};
    if (!defined $exp) {
        problem("frame not in the golden: " . join(';', @path));
    } elsif ($exp != $f->{v}) {
        problem("frame " . join(';', @path) . " value $f->{v}, golden sum $exp");
    }
    problem("frame $f->{name} narrower than minwidth") if $f->{v} < $minvalue || (!$all && $f->{v} * $per_px < 0.1 - 1e-9);
    # inside its parent's span
    $#px = $d - 1; $#pw = $d - 1;
    if ($d > 1 && ($f->{x} < $px[$d - 1] - 0.11 || $f->{x} + $f->{w} > $px[$d - 1] + $pw[$d - 1] + 0.21)) {
        problem("frame " . join(';', @path) . " sticks out of its parent");
    }
    $px[$d] = $f->{x}; $pw[$d] = $f->{w};
}
my $expect = grep { $want{$_} >= $minvalue } keys %want;
problem("drew $drawn frames, golden has $expect paths at least $minvalue wide") unless $drawn == $expect;
my $left = keys(%want) - $drawn;
problem("data-hf-omitted $omitted, expected $left") unless $omitted == $left;
problem("comment says $comment_omitted left out, expected $left") unless defined $comment_omitted && $comment_omitted == $left;
if ($all) {
    problem("minwidth 0 left $left frames out") if $left;
} else {
    # the default 0.1 px: the cut is at ceil(0.1 px) unless --max-frames raised it
    my $min01 = 0.1 / $per_px;
    problem("minvalue $minvalue below 0.1 px ($min01)") if $minvalue < $min01 - 1e-9;
}
print "$_\n" for @problems;
exit(@problems ? 1 : 0);
